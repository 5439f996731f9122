"""A voting round never cuts the announced public discussion short (no override)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from drafts import services as draft_services
from drafts.models import Draft
from tests.conftest import client_for, end_discussion
from voting import services
from voting.models import Round

TASHKENT = ZoneInfo("Asia/Tashkent")


def _open(draft, secretariat, agency, **extra):
    return services.round_open(
        draft=draft,
        actor=secretariat,
        agencies=[agency],
        deadline=timezone.now() + timedelta(days=3),
        rule="unanimity",
        **extra,
    )


def _in_discussion(make_draft, agency_editor, **fields):
    """A draft whose announced last day is 25 days from today (ends at midnight after it)."""
    draft = make_draft(**fields)
    last = timezone.localdate() + timedelta(days=25)
    draft_services.draft_open_discussion(
        draft=draft,
        actor=agency_editor,
        starts_at=timezone.now(),
        ends_at=datetime.combine(last + timedelta(days=1), time.min, tzinfo=TASHKENT),
    )
    draft.refresh_from_db()
    return draft, f"{last:%-d %B %Y}"


def test_a_round_cannot_open_while_the_announced_discussion_runs_even_with_a_reason(
    make_draft, agency_editor, secretariat, other_agency
):
    draft, last_day = _in_discussion(make_draft, agency_editor, impact_level="high")
    with pytest.raises(ValidationError) as exc:
        _open(draft, secretariat, other_agency, override_reason="The ministry is in a hurry")
    assert exc.value.code == "discussion_running"
    assert f"until {last_day} inclusive" in exc.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DISCUSSION
    assert not Round.objects.exists()


def test_a_round_opens_once_the_discussion_has_ended(make_draft, secretariat, other_agency):
    draft = make_draft(discussion=True)
    end_discussion(draft)
    assert _open(draft, secretariat, other_agency).is_open


def test_the_open_form_says_when_the_discussion_ends_and_refuses_a_round(
    make_draft, agency_editor, secretariat, other_agency
):
    draft, last_day = _in_discussion(make_draft, agency_editor)
    client = client_for(secretariat)
    page = client.get(f"/voting/open/{draft.pk}/").content.decode()
    assert f"runs until {last_day} inclusive" in page
    response = client.post(
        f"/voting/open/{draft.pk}/",
        {
            "version": draft.versions.get().pk,
            "agencies": [other_agency.pk],
            "deadline": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "rule": "unanimity",
            "override_reason": "Proceed",
        },
    )
    assert response.status_code == 400
    assert f"runs until {last_day} inclusive" in response.content.decode()
    assert not Round.objects.exists()


def test_the_draft_page_offers_a_round_only_after_the_discussion(
    make_draft, agency_editor, secretariat
):
    draft, _last_day = _in_discussion(make_draft, agency_editor)
    client = client_for(secretariat)
    link = f'href="/voting/open/{draft.pk}/"'
    assert link not in client.get(f"/drafts/{draft.pk}/").content.decode()
    end_discussion(draft)
    assert link in client.get(f"/drafts/{draft.pk}/").content.decode()

"""The open-round form pre-fills a deadline this draft can have (after its announced public
discussion) and shows a wrong deadline's error on the deadline field, in plain words."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from drafts import services as draft_services
from tests.conftest import client_for
from voting.forms import RoundOpenForm
from voting.models import Round

TASHKENT = ZoneInfo("Asia/Tashkent")


@pytest.fixture
def clock(monkeypatch):
    """Stop the clock at the present instant, so "now" cannot cross midnight mid-test."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def test_the_deadline_is_prefilled_five_days_after_a_discussion_still_running(
    make_draft, agency_editor, secretariat, clock
):
    """While the discussion runs, the pre-filled deadline is 18:00 five days after its end, on
    the form and on the page."""
    draft = make_draft()
    last_day = timezone.localdate() + timedelta(days=25)
    draft_services.draft_open_discussion(
        draft=draft,
        actor=agency_editor,
        starts_at=clock,
        ends_at=datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=TASHKENT),
    )
    draft.refresh_from_db()
    expected = datetime.combine(last_day + timedelta(days=6), time(18), tzinfo=TASHKENT)
    assert RoundOpenForm(draft=draft)["deadline"].initial == expected
    page = client_for(secretariat).get(f"/voting/open/{draft.pk}/").content.decode()
    assert f'value="{expected:%Y-%m-%dT%H:%M}"' in page


def test_the_deadline_is_prefilled_five_days_from_now_once_the_discussion_is_over(
    voting_draft, clock
):
    """Once the discussion is over, the deadline is counted from now."""
    expected = timezone.localtime(clock + timedelta(days=5)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    assert RoundOpenForm(draft=voting_draft)["deadline"].initial == expected


def _post(client, draft, agency, deadline: str):
    return client.post(
        f"/voting/open/{draft.pk}/",
        {
            "version": draft.versions.first().pk,
            "agencies": [agency.pk],
            "deadline": deadline,
            "rule": "unanimity",
        },
    )


def _deadline_errors(page: str) -> str:
    """The deadline field with its errors ("" when it shows none)."""
    field = re.search(
        r'<div class="field has-error">\s*<label for="id_deadline">.*?</div>\s*</div>', page, re.S
    )
    return field.group(0) if field else ""


def test_a_deadline_within_the_hour_is_refused_on_the_deadline_field(
    voting_draft, secretariat, other_agency
):
    """The service's "too soon" refusal is shown under the deadline, not above the form."""
    soon = (timezone.localtime() + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    response = _post(client_for(secretariat), voting_draft, other_agency, soon)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The deadline must be at least an hour from now." in _deadline_errors(page)
    assert 'class="errorlist-box"' not in page
    assert not Round.objects.exists()


def test_a_deadline_that_is_not_a_date_and_time_says_how_to_write_one(
    voting_draft, secretariat, other_agency
):
    """A value the field cannot read gets an example of one it can."""
    response = _post(client_for(secretariat), voting_draft, other_agency, "next Friday")
    assert response.status_code == 400
    assert "Enter the deadline as a date and a time, such as 2026-12-01T18:00" in _deadline_errors(
        response.content.decode()
    )
    assert not Round.objects.exists()

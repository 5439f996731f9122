"""The public discussion period: it starts today or later, its minimum counts from now, and it is
shown as the last day people can comment, not as the exclusive end instant that is stored."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from drafts import services
from drafts.models import Draft
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
TASHKENT = ZoneInfo("Asia/Tashkent")


def _midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TASHKENT)


def _post_period(user, draft, starts_on, ends_on):
    return client_for(user).post(
        reverse("drafts:status", args=[draft.pk]),
        {"action": "open_discussion", "starts_on": starts_on, "ends_on": ends_on},
    )


def test_a_backdated_start_is_refused_by_the_service(make_draft, agency_editor):
    draft = make_draft(impact_level="medium")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.draft_open_discussion(
            draft=draft,
            actor=agency_editor,
            starts_at=_midnight(today - timedelta(days=24)),
            ends_at=_midnight(today + timedelta(days=3)),
        )
    assert caught.value.code == "period_starts_in_past"
    assert Draft.objects.get(pk=draft.pk).status == Draft.Status.DRAFTING


def test_a_start_earlier_today_counts_the_minimum_from_now(make_draft, agency_editor):
    draft = make_draft(impact_level="medium")
    start = _midnight(timezone.localdate())
    now = timezone.now()
    # 15 days from midnight this morning, but not from now.
    ends = start + timedelta(days=15) + (now - start) / 2
    with pytest.raises(ValidationError) as caught:
        services.draft_open_discussion(
            draft=draft, actor=agency_editor, starts_at=start, ends_at=ends
        )
    assert caught.value.code == "period_too_short"
    services.draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=start, ends_at=now + timedelta(days=16)
    )
    assert Draft.objects.get(pk=draft.pk).status == Draft.Status.DISCUSSION


def test_the_form_shows_a_backdated_start_on_the_start_field(make_draft, agency_editor):
    draft = make_draft(impact_level="medium")
    today = timezone.localdate()
    response = _post_period(
        agency_editor, draft, today - timedelta(days=24), today + timedelta(days=2)
    )
    assert response.status_code == 400
    errors = response.context["discussion_form"].errors
    assert "cannot open in the past" in errors["starts_on"][0]
    assert Draft.objects.get(pk=draft.pk).status == Draft.Status.DRAFTING


def test_the_form_shows_a_too_short_period_on_the_last_day_field(make_draft, agency_editor):
    draft = make_draft(impact_level="medium")
    today = timezone.localdate()
    response = _post_period(agency_editor, draft, today, today + timedelta(days=13))
    assert response.status_code == 400
    errors = response.context["discussion_form"].errors
    assert "at least 15 days" in errors["ends_on"][0]


def test_the_form_accepts_today_and_the_suggested_last_day(make_draft, agency_editor):
    from drafts.forms import OpenDiscussionForm

    draft = make_draft(impact_level="high")
    initial = OpenDiscussionForm.initial_for(draft)
    response = _post_period(agency_editor, draft, initial["starts_on"], initial["ends_on"])
    assert response.status_code == 302
    assert Draft.objects.get(pk=draft.pk).is_open_for_comment()


@pytest.fixture
def announced(make_draft, agency_editor):
    """A draft whose discussion runs from today to a last day 12 days on, as the form sends it."""
    draft = make_draft(title="Announced", impact_level="low")
    today = timezone.localdate()
    last = today + timedelta(days=12)
    assert _post_period(agency_editor, draft, today, last).status_code == 302
    draft.refresh_from_db()
    return draft, f"{today:%-d %B %Y}", f"{last:%-d %B %Y}"


def test_the_last_day_is_what_the_draft_page_and_list_show(announced, citizen):
    draft, first, last = announced
    assert draft.discussion_last_day == timezone.localdate() + timedelta(days=12)
    page = client_for(citizen).get(draft.get_absolute_url()).content.decode()
    facts = page[page.index('class="facts"') : page.index("</dl>")]
    assert f"{first} – {last} inclusive" in facts
    assert "00:00" not in facts
    listing = client_for(citizen).get(reverse("drafts:list")).content.decode()
    assert f"until {last} inclusive" in listing


def test_the_report_and_dashboard_show_the_last_day(announced, legislator):
    draft, first, last = announced
    client = client_for(legislator)
    report = client.get(reverse("reports:draft", args=[draft.pk])).content.decode()
    assert f"{first} – {last} inclusive" in report
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert f"Until {last} inclusive" in dashboard
    the_day_after = timezone.localdate() + timedelta(days=13)
    assert f"{the_day_after:%-d %B %Y}, 00:00" not in dashboard

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from drafts import services
from drafts.models import Draft
from sovaz.audit.models import ActionLog
from tests.conftest import SAMPLE_TEXT, SAMPLE_TEXT_V2

pytestmark = pytest.mark.django_db
Status = Draft.Status


def _codes(draft: Draft) -> list[str]:
    return list(
        ActionLog.objects.filter(target_id=str(draft.pk))
        .order_by("id")
        .values_list("code", flat=True)
    )


def test_draft_create_writes_the_first_version_history_and_log(make_draft, agency_editor):
    draft = make_draft()
    version = draft.versions.get()
    assert (version.number, version.author, version.article_count) == (1, agency_editor, 3)
    assert len(version.text_hash) == 64
    assert draft.history.get().history_change_reason == "Draft created"
    assert _codes(draft) == ["drafts.draft.created"]


def test_only_editors_of_the_agency_may_create_its_drafts(agency, other_editor, row_counts):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        services.draft_create(
            author=other_editor,
            agency=agency,
            title="T",
            kind="law",
            number="X-1",
            text=SAMPLE_TEXT,
        )
    assert row_counts() == before


def test_malformed_text_writes_nothing(agency, agency_editor, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        services.draft_create(
            author=agency_editor, agency=agency, title="T", kind="law", number="X-1", text="  "
        )
    assert caught.value.code == "malformed_text"
    assert row_counts() == before


def test_versions_are_numbered_consecutively_and_logged(make_draft, agency_editor):
    draft = make_draft(v2=SAMPLE_TEXT_V2)
    third = services.version_publish(
        draft=draft,
        author=agency_editor,
        text=SAMPLE_TEXT_V2.replace("olti oy", "to‘qqiz oy"),
        change_reason="Muddat",
    )
    assert list(draft.versions.values_list("number", flat=True)) == [1, 2, 3]
    assert third.change_reason == "Muddat"
    assert _codes(draft).count("drafts.version.published") == 2


def test_publishing_keeps_the_wids_of_renumbered_articles(make_draft):
    draft = make_draft(v2=SAMPLE_TEXT_V2)
    v1, v2 = draft.versions.order_by("number")
    old = {a["heading"]: a["wId"] for c in v1.structure["body"] for a in c["children"]}
    new = {a["heading"]: (a["wId"], a["eId"]) for c in v2.structure["body"] for a in c["children"]}
    assert new["Qonunning kuchga kirishi"] == (old["Qonunning kuchga kirishi"], "art_4")


def test_unchanged_text_is_not_published(make_draft, agency_editor, row_counts):
    draft = make_draft()
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        services.version_publish(
            draft=draft, author=agency_editor, text=SAMPLE_TEXT, change_reason="Yana"
        )
    assert caught.value.code == "unchanged"
    assert row_counts() == before


def test_a_version_needs_a_reason(make_draft, agency_editor):
    draft = make_draft()
    with pytest.raises(ValidationError) as caught:
        services.version_publish(
            draft=draft, author=agency_editor, text=SAMPLE_TEXT_V2, change_reason="  "
        )
    assert caught.value.code == "reason_required"


def test_draft_update_records_reason_and_user_in_history(make_draft, agency_editor):
    draft = make_draft()
    services.draft_update(draft=draft, actor=agency_editor, reason="Aniqlik", summary="Yangi")
    record = draft.history.latest()
    assert (record.summary, record.history_change_reason, record.history_user) == (
        "Yangi",
        "Aniqlik",
        agency_editor,
    )
    entry = ActionLog.objects.filter(code="drafts.draft.updated").get()
    assert entry.data == {"fields": ["summary"], "reason": "Aniqlik"}


def test_draft_update_refuses_fields_that_are_not_metadata(make_draft, agency_editor):
    with pytest.raises(ValueError, match="status"):
        services.draft_update(draft=make_draft(), actor=agency_editor, reason="x", status="sent")


def test_other_agencies_may_not_update_or_publish(make_draft, other_editor):
    draft = make_draft()
    with pytest.raises(PermissionDenied):
        services.draft_update(draft=draft, actor=other_editor, reason="x", title="y")
    with pytest.raises(PermissionDenied):
        services.version_publish(
            draft=draft, author=other_editor, text=SAMPLE_TEXT_V2, change_reason="x"
        )


@pytest.mark.parametrize(("level", "days"), [("low", 10), ("medium", 15), ("high", 20)])
def test_discussion_period_minimum_follows_the_impact_level(make_draft, agency_editor, level, days):
    draft = make_draft(impact_level=level)
    # A start a minute ahead: the minimum counts from the later of the start and now.
    now = timezone.now() + timedelta(minutes=1)
    with pytest.raises(ValidationError) as caught:
        services.draft_open_discussion(
            draft=draft, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=days - 1)
        )
    assert caught.value.code == "period_too_short"
    assert f"at least {days} days" in caught.value.messages[0]
    services.draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=days)
    )
    draft.refresh_from_db()
    assert draft.status == Status.DISCUSSION and draft.published_at is not None


def test_discussion_minimum_is_configurable(make_draft, agency_editor, settings):
    settings.DISCUSSION_MIN_DAYS = {"low": 3, "medium": 15, "high": 20}
    draft = make_draft(impact_level="low")
    now = timezone.now() + timedelta(minutes=1)
    services.draft_open_discussion(
        draft=draft, actor=agency_editor, starts_at=now, ends_at=now + timedelta(days=3)
    )
    assert Draft.objects.get(pk=draft.pk).status == Status.DISCUSSION


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [(0, -1, "period_reversed"), (-60, -30, "period_in_past")],
)
def test_reversed_or_past_periods_are_refused(make_draft, agency_editor, start, end, code):
    draft = make_draft()
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.draft_open_discussion(
            draft=draft,
            actor=agency_editor,
            starts_at=now + timedelta(days=start),
            ends_at=now + timedelta(days=end),
        )
    assert caught.value.code == code


def test_opening_the_discussion_is_logged(make_draft, agency_editor):
    draft = make_draft(discussion=True)
    entry = ActionLog.objects.filter(code="drafts.draft.status_changed").get()
    assert entry.data["from"] == "drafting" and entry.data["to"] == "discussion"
    assert entry.actor == agency_editor
    assert draft.history.latest().history_change_reason == "Opened for public discussion"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["discussion", "voting", "approved", "sent"], True),
        (["discussion", "voting", "rejected", "sent"], True),
        (["discussion", "voting", "discussion"], True),
        (["voting"], False),
        (["discussion", "approved"], False),
        (["withdrawn", "discussion"], False),
        (["discussion", "voting", "approved", "withdrawn"], False),
    ],
)
def test_lifecycle_transitions(make_draft, secretariat, path, allowed):
    draft = make_draft()
    try:
        for status in path:
            services.draft_transition(draft=draft, to=status, actor=secretariat, reason="step")
    except ValidationError as exc:
        assert not allowed
        assert exc.code == "bad_transition"
    else:
        assert allowed
        assert Draft.objects.get(pk=draft.pk).status == path[-1]


def test_withdraw_needs_a_reason_and_is_logged(make_draft, agency_editor, secretariat):
    draft = make_draft(discussion=True)
    with pytest.raises(ValidationError):
        services.draft_withdraw(draft=draft, actor=agency_editor, reason=" ")
    services.draft_withdraw(draft=draft, actor=secretariat, reason="Eskirgan")
    entry = ActionLog.objects.filter(code="drafts.draft.status_changed").latest("id")
    assert (entry.data["to"], entry.data["reason"], entry.actor) == (
        "withdrawn",
        "Eskirgan",
        secretariat,
    )


def test_a_voter_may_not_withdraw(make_draft, agency_voter):
    with pytest.raises(PermissionDenied):
        services.draft_withdraw(draft=make_draft(), actor=agency_voter, reason="x")


def test_publishing_is_recorded_in_the_draft_history_with_its_author(make_draft, agency_editor):
    draft = make_draft(v2=SAMPLE_TEXT_V2)
    record = draft.history.latest()
    assert (record.history_change_reason, record.history_user) == (
        "Version 2 published",
        agency_editor,
    )
    assert draft.history.earliest().history_user == agency_editor

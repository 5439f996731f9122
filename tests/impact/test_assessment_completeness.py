"""A draft opens for public discussion only with an assessment complete for its impact level."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from drafts.services import draft_open_discussion
from impact import services
from impact.selectors import assessment_problems


def _open(draft, actor):
    now = timezone.now()
    return draft_open_discussion(
        draft=draft, actor=actor, starts_at=now, ends_at=now + timedelta(days=30)
    )


def test_a_draft_without_an_assessment_cannot_open_for_discussion(make_draft, agency_editor):
    draft = make_draft()
    with pytest.raises(ValidationError) as info:
        _open(draft, agency_editor)
    assert "The impact assessment is incomplete:" in info.value.messages
    assert "The draft has no impact assessment yet." in info.value.messages
    draft.refresh_from_db()
    assert draft.status == "drafting"


@pytest.mark.parametrize("level", ["low", "medium", "high"])
def test_each_level_names_what_is_missing(make_draft, agency_editor, answers, level):
    draft = make_draft(impact_level=level)
    services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    problems = assessment_problems(draft)
    assert "Answer “The objectives”." in problems
    assert ("Answer “Options considered”." in problems) == (level != "low")
    assert ("Answer “Consultation”." in problems) == (level == "high")
    has_obligation_problem = any("information obligation" in p for p in problems)
    assert has_obligation_problem == (level == "high")


def test_a_low_impact_draft_opens_with_problem_objectives_and_legal_basis(
    make_draft, agency_editor, answers
):
    draft = make_draft(impact_level="low")
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    assert assessment_problems(draft) == []
    assert _open(draft, agency_editor).status == "discussion"


def test_a_medium_impact_draft_needs_options_costs_and_affected_groups(
    make_draft, agency_editor, answers
):
    draft = make_draft(impact_level="medium")
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    with pytest.raises(ValidationError):
        _open(draft, agency_editor)
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["medium"])
    assert _open(draft, agency_editor).status == "discussion"


def test_a_high_impact_draft_needs_everything_and_an_obligation(
    make_draft, agency_editor, answers, obligation
):
    draft = make_draft(impact_level="high")
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["high"])
    assert assessment_problems(draft) == [
        "A high-impact draft needs at least one information obligation in the cost model."
    ]
    with pytest.raises(ValidationError):
        _open(draft, agency_editor)
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    assert _open(draft, agency_editor).status == "discussion"


def test_answers_of_only_whitespace_do_not_count(make_draft, agency_editor, answers):
    draft = make_draft(impact_level="low")
    services.assessment_revise(
        draft=draft, actor=agency_editor, **{**answers["low"], "legal_basis": "   \n "}
    )
    assert assessment_problems(draft) == ["Answer “Legal basis”."]


def test_the_rule_is_off_when_the_setting_is_off(make_draft, agency_editor, settings):
    settings.IMPACT_ASSESSMENT_REQUIRED = False
    draft = make_draft(impact_level="high")
    assert assessment_problems(draft) == []
    assert _open(draft, agency_editor).status == "discussion"

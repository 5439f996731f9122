"""Once a draft's public discussion has opened, its assessment stays complete and changes say why.

The walk-through found that an agency editor could clear every answer of a draft in discussion
and save it without a reason: the public then read "Incomplete for this impact level".
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation

from drafts.services import draft_open_discussion
from impact import services
from impact.models import CHECKLIST_FIELDS, AssessmentRevision
from tests.conftest import client_for


def _open(draft, editor):
    now = timezone.now()
    return draft_open_discussion(
        draft=draft, actor=editor, starts_at=now, ends_at=now + timedelta(days=30)
    )


@pytest.fixture
def public_low(make_draft, agency_editor, answers):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    return _open(draft, agency_editor)


@pytest.fixture
def public_high(make_draft, agency_editor, answers, obligation):
    draft = make_draft(impact_level="high")
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["high"])
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    return _open(draft, agency_editor)


def _reason_input(html: str) -> str:
    return re.search(r'<input[^>]*name="reason"[^>]*>', html).group(0)


def _count(draft) -> int:
    return AssessmentRevision.objects.filter(assessment__draft=draft).count()


def test_emptying_a_required_answer_in_discussion_is_refused_naming_it(public_low, agency_editor):
    with pytest.raises(ValidationError) as info:
        services.assessment_revise(
            draft=public_low, actor=agency_editor, reason="Tidy up", problem="", legal_basis=" "
        )
    [error] = info.value.error_dict[NON_FIELD_ERRORS]
    assert error.code == "would_be_incomplete"
    assert error.message.endswith("incomplete: Answer “The problem”. Answer “Legal basis”.")
    assert _count(public_low) == 1


def test_a_change_in_discussion_needs_a_reason(public_low, agency_editor):
    with pytest.raises(ValidationError) as info:
        services.assessment_revise(
            draft=public_low, actor=agency_editor, options="More", reason=" "
        )
    assert [e.code for e in info.value.error_dict["reason"]] == ["reason_required"]
    assert NON_FIELD_ERRORS not in info.value.error_dict
    assert _count(public_low) == 1


def test_a_change_in_discussion_with_a_reason_that_keeps_it_complete_is_saved(
    public_low, agency_editor
):
    revision = services.assessment_revise(
        draft=public_low, actor=agency_editor, problem="Queues, measured", reason="Figures added"
    )
    assert (revision.number, revision.reason) == (2, "Figures added")


def test_removing_the_last_obligation_of_a_high_impact_draft_in_discussion_is_refused(
    public_high, agency_editor
):
    with pytest.raises(ValidationError) as info:
        services.obligation_remove(draft=public_high, actor=agency_editor, key="obl-1")
    [error] = info.value.error_dict[NON_FIELD_ERRORS]
    assert "at least one information obligation" in error.message
    assert _count(public_high) == 2


def test_while_drafting_answers_may_still_be_emptied_without_a_reason(
    make_draft, agency_editor, answers
):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    emptied = services.assessment_revise(
        draft=draft, actor=agency_editor, **dict.fromkeys(answers["low"], "")
    )
    assert emptied.number == 2 and emptied.problem == ""
    assert emptied.reason == "Assessment updated"


def test_an_assessment_already_short_can_be_improved_a_step_at_a_time(
    make_draft, agency_editor, answers, obligation
):
    # Opened with the rule switched off: a high-impact draft in discussion with no cost model.
    draft = make_draft(impact_level="high")
    services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    settings.IMPACT_ASSESSMENT_REQUIRED = False
    _open(draft, agency_editor)
    settings.IMPACT_ASSESSMENT_REQUIRED = True
    services.assessment_revise(
        draft=draft, actor=agency_editor, reason="More answers", **answers["low"]
    )
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    assert _count(draft) == 3
    with pytest.raises(ValidationError):  # but never a step back
        services.assessment_revise(draft=draft, actor=agency_editor, objectives="", reason="x")


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "This change would leave it incomplete: Answer “The problem”."),
        ("uz", "to‘liq bo‘lmagan holga keltiradi: «Muammo» bandiga javob bering."),
        ("ru", "она стала бы неполной: Ответьте на пункт «Проблема»."),
    ],
)
def test_the_edit_page_asks_for_a_reason_and_refuses_emptying_in_every_language(
    public_low, agency_editor, language, refusal
):
    client = client_for(agency_editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = f"/impact/{public_low.pk}/edit/"
    emptied = dict.fromkeys(CHECKLIST_FIELDS, "") | {"discount_rate": "10", "years": "10"}
    with translation.override(language):
        page = client.get(url).content.decode()
        no_reason = client.post(url, emptied)
        refused = client.post(url, {**emptied, "reason": "Start again"})
    assert " required" in _reason_input(page)
    assert no_reason.status_code == 400
    assert 'id="id_reason_error"' in no_reason.content.decode()
    assert refused.status_code == 400
    assert refusal in refused.content.decode()
    assert _count(public_low) == 1


def test_the_edit_page_while_drafting_keeps_the_reason_optional(make_draft, agency_editor, answers):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["low"])
    page = client_for(agency_editor).get(f"/impact/{draft.pk}/edit/").content.decode()
    assert " required" not in _reason_input(page)

"""Writing assessments: every save is a new immutable revision, tied to the text's version."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impact import services
from impact.models import Assessment, AssessmentRevision, Obligation
from impact.selectors import assessment_summary
from sovaz.audit.models import ActionLog
from tests.conftest import SAMPLE_TEXT_V2


def test_first_save_creates_the_assessment_and_revision_one(make_draft, agency_editor):
    draft = make_draft()
    revision = services.assessment_revise(
        draft=draft, actor=agency_editor, problem="Queues", reason="First draft"
    )
    assert revision.number == 1
    assert revision.version == draft.versions.get(number=1)
    assert revision.problem == "Queues"
    assert Assessment.objects.filter(draft=draft).count() == 1
    log = ActionLog.objects.get(code="impact.assessment.revised")
    assert log.data["revision"] == 1 and log.data["fields"] == ["problem"]


def test_each_save_keeps_the_earlier_revision_unchanged(make_draft, agency_editor):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    second = services.assessment_revise(draft=draft, actor=agency_editor, objectives="No queues")
    first = AssessmentRevision.objects.get(assessment__draft=draft, number=1)
    assert (first.problem, first.objectives) == ("Queues", "")
    assert (second.number, second.problem, second.objectives) == (2, "Queues", "No queues")


def test_saving_the_same_answers_again_writes_no_revision(make_draft, agency_editor):
    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues", years=10)
    with pytest.raises(ValidationError) as info:
        services.assessment_revise(draft=draft, actor=agency_editor, problem=" Queues\n",
                                   years=10, reason="Looked again")  # fmt: skip
    assert info.value.code == "unchanged"
    assert info.value.messages == ["Nothing changed: the assessment is the same as revision 1."]
    assert AssessmentRevision.objects.filter(assessment__draft=draft).count() == 1
    assert ActionLog.objects.filter(code="impact.assessment.revised").count() == 1


def test_an_obligation_saved_unchanged_writes_no_revision(make_draft, agency_editor, obligation):
    draft = make_draft()
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    same = obligation(name=" Annual report to the tax authority")  # stripped, it is the same
    with pytest.raises(ValidationError) as info:
        services.obligation_update(draft=draft, actor=agency_editor, key="obl-1", obligation=same)
    assert info.value.code == "unchanged"
    assert AssessmentRevision.objects.filter(assessment__draft=draft).count() == 1


def test_the_same_answers_for_a_newer_text_are_a_new_revision(make_draft, agency_editor):
    from drafts.services import version_publish

    draft = make_draft()
    services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    version_publish(draft=draft, author=agency_editor, text=SAMPLE_TEXT_V2, change_reason="v2")
    revision = services.assessment_revise(
        draft=draft, actor=agency_editor, problem="Queues", reason="Still holds for version 2"
    )
    assert (revision.number, revision.version.number) == (2, 2)


def test_a_revision_after_a_new_version_points_to_that_version(make_draft, agency_editor):
    draft = make_draft(v2=SAMPLE_TEXT_V2)
    revision = services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    assert revision.version.number == 2


def test_obligations_keep_their_key_across_revisions(make_draft, agency_editor, obligation):
    draft = make_draft()
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation(name="A"))
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation(name="B"))
    services.assessment_revise(draft=draft, actor=agency_editor, problem="Queues")
    services.obligation_update(
        draft=draft, actor=agency_editor, key="obl-1", obligation=obligation(name="A2")
    )
    latest = AssessmentRevision.objects.get(assessment__draft=draft, number=4)
    assert [(o.key, o.name) for o in latest.obligations.all()] == [("obl-1", "A2"), ("obl-2", "B")]
    assert latest.problem == "Queues"
    removed = services.obligation_remove(draft=draft, actor=agency_editor, key="obl-1")
    assert [o.key for o in removed.obligations.all()] == ["obl-2"]
    # A new obligation never reuses a removed key, so old comments cannot move to it.
    added = services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    assert [o.key for o in added.obligations.all()] == ["obl-2", "obl-3"]
    assert Obligation.objects.filter(revision__number=1).count() == 1


def test_removing_an_unknown_obligation_is_refused(make_draft, agency_editor):
    draft = make_draft()
    with pytest.raises(ValidationError) as info:
        services.obligation_remove(draft=draft, actor=agency_editor, key="obl-9")
    assert info.value.code == "no_obligation"
    assert not AssessmentRevision.objects.exists()


def test_a_bad_obligation_writes_nothing(make_draft, agency_editor, obligation):
    draft = make_draft()
    with pytest.raises(ValidationError) as info:
        services.obligation_add(
            draft=draft, actor=agency_editor, obligation=obligation(tariff=Decimal(-5))
        )
    assert "tariff" in info.value.message_dict
    assert not Assessment.objects.exists()


def test_a_bad_discount_rate_is_refused(make_draft, agency_editor):
    draft = make_draft()
    with pytest.raises(ValidationError) as info:
        services.assessment_revise(draft=draft, actor=agency_editor, discount_rate=Decimal(150))
    assert "discount_rate" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.assessment_revise(draft=draft, actor=agency_editor, years=0)
    assert "years" in info.value.message_dict


@pytest.mark.parametrize("persona", ["other_editor", "agency_voter", "citizen", "legislator"])
def test_only_editors_of_the_developing_agency_may_write(make_draft, persona, request):
    draft = make_draft()
    with pytest.raises(PermissionDenied):
        services.assessment_revise(draft=draft, actor=request.getfixturevalue(persona), problem="x")
    assert not Assessment.objects.exists()


def test_the_assessment_is_frozen_once_voting_starts(make_draft, agency_editor, secretariat,
                                                    other_agency, settings):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from voting.services import round_open

    settings.IMPACT_ASSESSMENT_REQUIRED = False  # completeness is tested elsewhere
    draft = make_draft(discussion_over=True)
    round_open(draft=draft, actor=secretariat, agencies=[other_agency],
               deadline=timezone.now() + timedelta(days=3),
               rule="two_thirds_quorum_simple_majority")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.assessment_revise(draft=draft, actor=agency_editor, problem="late")


def test_summary_for_other_apps_has_money_as_strings(
    make_draft, agency_editor, obligation, answers
):
    draft = make_draft(impact_level="high")
    assert assessment_summary(draft) is None
    services.assessment_revise(draft=draft, actor=agency_editor, **answers["high"])
    services.obligation_add(draft=draft, actor=agency_editor, obligation=obligation())
    summary = assessment_summary(draft)
    assert summary["complete"] is True and summary["problems"] == []
    assert summary["annual_total"] == "440000000.00"
    assert summary["by_group"]["business"] == "440000000.00"
    assert summary["obligations"][0]["key"] == "obl-1"
    assert summary["years"] == 10 and summary["discount_rate"] == "10.00"
    assert summary["url"] == f"/impact/{draft.pk}/"

"""The demo assessments: complete for each demo draft's impact level, loaded once."""

import pytest

from drafts.models import Draft
from impact import demo
from impact.models import AssessmentRevision
from impact.selectors import assessment_problems, assessment_summary


@pytest.mark.django_db
def test_the_demo_gives_every_demo_draft_a_complete_costed_assessment():
    import drafts.demo
    import sovaz.demo

    sovaz.demo.load()
    drafts.demo.load()
    demo.load()
    revisions = AssessmentRevision.objects.count()
    demo.load()  # idempotent
    assert AssessmentRevision.objects.count() == revisions
    for number in demo.ASSESSMENTS:
        draft = Draft.objects.get(number=number)
        assert assessment_problems(draft) == [], number
        summary = assessment_summary(draft)
        assert summary["obligations"] and summary["annual_total"] != "0.00"

"""A changed answer stays visible as changed, each notification keeps what it announced, and a
text change is claimed only for accepted answers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from discussions import services
from discussions.models import Disposition, Notification
from tests.conftest import client_for


def _answer(comment, editor, outcome, reasoning, **kwargs):
    return services.disposition_set(
        comment=comment, actor=editor, outcome=outcome, reasoning=reasoning, **kwargs
    )


def test_each_notification_shows_the_outcome_it_announced(comment, agency_editor, citizen):
    _answer(comment, agency_editor, "rejected", "Asossiz")
    _answer(comment, agency_editor, "accepted", "Kiritildi")
    outcomes = list(
        Notification.objects.order_by("id").values_list("outcome", "detail", flat=False)
    )
    assert outcomes == [("rejected", "Asossiz"), ("accepted", "Kiritildi")]
    page = client_for(citizen).get(reverse("discussions:notifications")).text
    assert "answered your comment: <strong>Rejected</strong>" in page
    assert "answered your comment: <strong>Accepted</strong>" in page


def test_the_email_of_an_earlier_answer_says_that_answer(comment, agency_editor, mailoutbox):
    _answer(comment, agency_editor, "rejected", "Asossiz")
    _answer(comment, agency_editor, "accepted", "Kiritildi")
    assert services.notification_emails_send().sent == 2
    first, second = mailoutbox
    assert "Rejected" in first.body and "Asossiz" in first.body and "Kiritildi" not in first.body
    assert "Accepted" in second.body and "Kiritildi" in second.body


def test_a_changed_answer_is_marked_changed_with_its_date(comment, agency_editor):
    first = _answer(comment, agency_editor, "rejected", "Asossiz")
    assert first.revision == 1 and not first.is_changed
    second = _answer(comment, agency_editor, "accepted", "Kiritildi")
    assert second.revision == 2 and second.is_changed
    assert [h.outcome for h in second.history.order_by("history_id")] == ["rejected", "accepted"]
    table = client_for(None).get(reverse("discussions:dispositions", args=[comment.draft_id]))
    assert "answer changed on" in table.text
    draft_page = client_for(None).get(comment.draft.get_absolute_url())
    assert "answer changed on" in draft_page.text


def test_a_first_answer_is_not_marked_changed(comment, agency_editor):
    _answer(comment, agency_editor, "noted", "Rahmat")
    table = client_for(None).get(reverse("discussions:dispositions", args=[comment.draft_id]))
    assert "answer changed on" not in table.text


@pytest.mark.parametrize("outcome", ["rejected", "noted"])
def test_changed_in_version_is_refused_for_answers_that_change_nothing(
    comment, agency_editor, latest, outcome
):
    with pytest.raises(ValidationError) as refused:
        _answer(comment, agency_editor, outcome, "Yo‘q", changed_in_version=latest)
    assert refused.value.code == "version_without_change"
    assert not Disposition.objects.exists()


@pytest.mark.parametrize("outcome", ["accepted", "partly"])
def test_changed_in_version_is_kept_for_accepted_answers(comment, agency_editor, latest, outcome):
    answer = _answer(comment, agency_editor, outcome, "Ha", changed_in_version=latest)
    assert answer.changed_in_version == latest


def test_the_answer_form_explains_the_refusal(comment, agency_editor, latest):
    response = client_for(agency_editor).post(
        reverse("discussions:dispose", args=[comment.pk]),
        {"outcome": "rejected", "reasoning": "Yo‘q", "changed_in_version": latest.number},
    )
    assert response.status_code == 400
    assert "leave “Changed in version” empty for the answer “Rejected”" in response.text

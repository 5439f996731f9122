"""A changed answer stays visible as changed (on the pages, in the CSV and in the commenter's
notice), each notification keeps what it announced, and a text change is claimed only for
accepted answers."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

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
    assert "changed its answer to your comment: <strong>Accepted</strong>" in page


def test_the_email_of_an_earlier_answer_says_that_answer(comment, agency_editor, mailoutbox):
    _answer(comment, agency_editor, "rejected", "Asossiz")
    _answer(comment, agency_editor, "accepted", "Kiritildi")
    assert services.notification_emails_send().sent == 2
    first, second = mailoutbox
    assert "Rejected" in first.body and "Asossiz" in first.body and "Kiritildi" not in first.body
    assert "Accepted" in second.body and "Kiritildi" in second.body


def test_a_changed_answer_is_announced_as_changed_in_the_site_and_by_email(
    comment, agency_editor, citizen, mailoutbox
):
    """The second answer's notice says the answer was changed and gives the new outcome; the
    first answer's notice reads as a first answer."""
    _answer(comment, agency_editor, "rejected", "Asossiz")
    _answer(comment, agency_editor, "accepted", "Kiritildi")
    kinds = list(Notification.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [Notification.Kind.DISPOSITION, Notification.Kind.ANSWER_CHANGED]
    page = client_for(citizen).get(reverse("discussions:notifications")).text
    assert "The drafting agency answered your comment: <strong>Rejected</strong>" in page
    assert (
        "The drafting agency changed its answer to your comment: <strong>Accepted</strong>" in page
    )

    assert services.notification_emails_send().sent == 2
    first, second = mailoutbox
    number = comment.draft.number
    assert first.subject == f"The agency answered your comment on {number}"
    assert "changed its answer" not in first.body
    assert second.subject == f"The agency changed its answer to your comment on {number}"
    assert "The drafting agency changed its answer to your comment on the draft" in second.body
    assert "Outcome: Accepted\nReasoning: Kiritildi" in second.body


def test_the_changed_answer_email_is_written_in_russian_and_uzbek(
    comment, agency_editor, mailoutbox
):
    """The new sentences are in the catalogs of both site languages."""
    _answer(comment, agency_editor, "rejected", "Asossiz")
    for language in ("ru", "uz"):
        with translation.override(language):
            _answer(comment, agency_editor, "accepted", "Kiritildi")
    services.notification_emails_send()
    russian, uzbek = (m.subject for m in mailoutbox[1:])
    assert russian == f"{comment.draft.number}: ведомство изменило ответ на ваш комментарий"
    assert uzbek == f"{comment.draft.number}: idora fikringizga bergan javobini o‘zgartirdi"


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


def _csv(draft, language="en"):
    url = reverse("discussions:dispositions_csv", args=[draft.pk])
    response = Client(headers={"accept-language": language}).get(url)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_answers_csv_says_when_an_answer_was_changed(
    open_draft, make_comment, citizen, agency_editor, monkeypatch
):
    """A changed answer keeps its first answer's time under "Answered" and has the change's
    under "Answer changed", written alike; a first answer and an unanswered comment leave
    "Answer changed" empty."""
    changed = make_comment(citizen, "changed")
    once = make_comment(citizen, "once")
    make_comment(citizen, "unanswered")
    first_at = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: first_at)
    _answer(changed, agency_editor, "rejected", "Asossiz")
    monkeypatch.setattr(timezone, "now", lambda: first_at + timedelta(hours=2))
    answer = _answer(changed, agency_editor, "accepted", "Kiritildi")
    _answer(once, agency_editor, "noted", "Rahmat")
    monkeypatch.undo()
    header, *rows = _csv(open_draft)
    assert header[-2:] == ["Answered", "Answer changed"]
    by_text = {row[6]: row for row in rows}

    def written(moment):
        return timezone.localtime(moment).isoformat(timespec="seconds")

    assert by_text["changed"][-2:] == [written(first_at), written(answer.decided_at)]
    assert by_text["once"][-2] != "" and by_text["once"][-1] == ""
    assert by_text["unanswered"][-2:] == ["", ""]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", ["С ответом", "Ответ изменён"]), ("uz", ["Javob berilgan", "Javob o‘zgartirilgan"])],
)
def test_the_answers_csv_headers_are_translated_and_distinct(open_draft, language, expected):
    """The new header is in both site languages and reads unlike every other header."""
    header = _csv(open_draft, language)[0]
    assert header[-2:] == expected
    assert len(set(header)) == len(header)

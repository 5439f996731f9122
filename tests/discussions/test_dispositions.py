# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""The agency's answers, their table and CSV, unanswered counts and the exit check."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from discussions import services
from discussions.models import Comment, Disposition
from discussions.selectors import draft_counts, unanswered_count
from sovaz.audit.models import ActionLog
from sovaz.csvsafe import safe_cell as safe_csv_cell
from tests.conftest import client_for


def test_editor_answers_with_reasoning_and_the_version_of_the_change(
    comment, agency_editor, latest
):
    disposition = services.disposition_set(
        comment=comment,
        actor=agency_editor,
        outcome="accepted",
        reasoning="3-moddaga kiritildi",
        changed_in_version=latest,
    )
    assert (disposition.outcome, disposition.changed_in_version) == ("accepted", latest)
    assert ActionLog.objects.filter(code="discussions.disposition.set").count() == 1


def test_reasoning_is_required(comment, agency_editor):
    with pytest.raises(ValidationError) as exc:
        services.disposition_set(
            comment=comment, actor=agency_editor, outcome="noted", reasoning=" "
        )
    assert exc.value.code == "reason_required"


def test_other_agencies_cannot_answer(comment, other_editor):
    with pytest.raises(PermissionDenied):
        services.disposition_set(
            comment=comment, actor=other_editor, outcome="noted", reasoning="x"
        )


def test_changing_an_answer_keeps_its_history(comment, agency_editor):
    services.disposition_set(
        comment=comment, actor=agency_editor, outcome="rejected", reasoning="a"
    )
    services.disposition_set(comment=comment, actor=agency_editor, outcome="partly", reasoning="b")
    disposition = Disposition.objects.get()
    assert disposition.outcome == "partly"
    assert [h.outcome for h in disposition.history.order_by("history_date")] == [
        "rejected",
        "partly",
    ]
    assert disposition.history.first().history_user == agency_editor


def test_unanswered_count_skips_replies_deleted_and_hidden(
    open_draft, comment, make_comment, business, agency_editor, moderator, citizen
):
    make_comment(business, "reply", parent=comment)
    deleted = make_comment(citizen, "gone")
    services.comment_delete(comment=deleted, author=citizen)
    hidden = make_comment(business, "abuse")
    services.comment_hide(comment=hidden, moderator=moderator, reason="abuse")
    assert unanswered_count(open_draft) == 1
    services.disposition_set(comment=comment, actor=agency_editor, outcome="noted", reasoning="x")
    assert unanswered_count(open_draft) == 0


def counted_by_the_orm(draft) -> dict[str, int]:
    """The public counts, written plainly: what draft_counts' compiled query must agree with."""
    alive = Comment.objects.filter(draft=draft, deleted_at=None)
    unanswered = alive.filter(parent=None, disposition=None).exclude(
        visibility=Comment.Visibility.HIDDEN
    )
    return {"comments": alive.count(), "unanswered": unanswered.count()}


def test_draft_counts_are_zero_for_a_draft_without_comments(
    open_draft, make_draft, citizen, django_assert_num_queries
):
    other = make_draft(discussion=True)
    services.comment_create(draft=other, author=citizen, body="Boshqa loyiha haqida")
    with django_assert_num_queries(1):
        assert draft_counts(open_draft) == {"comments": 0, "unanswered": 0}
    assert draft_counts(other) == {"comments": 1, "unanswered": 1}


def test_draft_counts_skip_deleted_and_count_hidden_answered_and_replies_as_the_orm_does(
    open_draft,
    make_draft,
    make_comment,
    citizen,
    business,
    legislator,
    agency_voter,
    moderator,
    agency_editor,
):
    answered = make_comment(citizen, "Javob berilgan")
    services.disposition_set(
        comment=answered, actor=agency_editor, outcome="accepted", reasoning="Kiritildi"
    )
    waiting = make_comment(business, "Javob kutmoqda")
    make_comment(citizen, "Javobga javob", parent=waiting)
    make_comment(business, "Javob berilganga javob", parent=answered)
    services.comment_delete(comment=make_comment(citizen, "O‘chirildi"), author=citizen)
    gone_reply = make_comment(business, "O‘chirilgan javob", parent=waiting)
    services.comment_delete(comment=gone_reply, author=business)
    hidden = make_comment(business, "Haqorat")
    services.comment_hide(comment=hidden, moderator=moderator, reason="abuse")
    reported = make_comment(citizen, "Shikoyat qilingan")
    for reporter in (business, legislator, agency_voter):  # the third hides it for review
        services.comment_report(comment=reported, reporter=reporter, reason="spam")
    assert Comment.objects.get(pk=reported.pk).visibility == Comment.Visibility.PENDING
    all_gone = make_draft(discussion=True)  # comments, all deleted: a row of zeros
    services.comment_delete(
        comment=services.comment_create(draft=all_gone, author=citizen, body="x"), author=citizen
    )

    # Alive: answered, waiting, two replies, hidden, reported; to answer: waiting, reported.
    assert draft_counts(open_draft) == counted_by_the_orm(open_draft)
    assert draft_counts(open_draft) == {"comments": 6, "unanswered": 2}
    assert draft_counts(all_gone) == counted_by_the_orm(all_gone)
    assert draft_counts(all_gone) == {"comments": 0, "unanswered": 0}


def test_exit_check_refuses_while_comments_are_unanswered(comment, agency_editor):
    with pytest.raises(ValidationError) as exc:
        services.discussion_exit_check(draft=comment.draft, actor=agency_editor)
    assert exc.value.code == "unanswered_comments"
    assert "1 comment has not been answered" in exc.value.messages[0]


def test_only_the_secretariat_overrides_with_a_reason(comment, secretariat, agency_editor):
    with pytest.raises(ValidationError):
        services.discussion_exit_check(
            draft=comment.draft, actor=agency_editor, override_reason="urgent"
        )
    with pytest.raises(ValidationError):
        services.discussion_exit_check(draft=comment.draft, actor=secretariat, override_reason="")
    services.discussion_exit_check(
        draft=comment.draft, actor=secretariat, override_reason="Prezident topshirig‘i"
    )
    entry = ActionLog.objects.get(code="discussions.draft.unanswered_override")
    assert entry.data == {"unanswered": 1, "reason": "Prezident topshirig‘i"}


def test_exit_check_passes_when_everything_is_answered(comment, agency_editor):
    services.disposition_set(comment=comment, actor=agency_editor, outcome="noted", reasoning="x")
    services.discussion_exit_check(draft=comment.draft, actor=agency_editor)


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x"])
def test_csv_cells_that_look_like_formulas_are_neutralised(value):
    assert safe_csv_cell(value) == "'" + value


def test_plain_csv_cells_are_unchanged():
    assert safe_csv_cell("O‘zbekiston 3-modda") == "O‘zbekiston 3-modda"
    assert safe_csv_cell(None) == ""


def test_disposition_csv_downloads_neutralised_rows(
    open_draft, make_comment, citizen, agency_editor
):
    first = make_comment(citizen, '=HYPERLINK("http://evil")')
    make_comment(citizen, "Ikkinchi fikr")
    services.disposition_set(
        comment=first, actor=agency_editor, outcome="rejected", reasoning="-no"
    )
    response = client_for(None).get(reverse("discussions:dispositions_csv", args=[open_draft.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert rows[1][6] == '\'=HYPERLINK("http://evil")'
    assert rows[1][7:9] == ["Rejected", "'-no"]
    assert rows[2][7] == "Not answered"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"a", "b", "c"}),
        ("outcome=accepted", {"a"}),
        ("answered=no", {"c"}),
        ("answered=yes", {"a", "b"}),
        ("outcome=none", {"c"}),
        ("article=art_1", {"b"}),
    ],
)
def test_disposition_table_filters(
    open_draft, make_comment, citizen, agency_editor, query, expected
):
    a = make_comment(citizen, "a")
    b = make_comment(citizen, "b", anchor_kind="provision", anchor_wid="art_1")
    make_comment(citizen, "c")
    services.disposition_set(comment=a, actor=agency_editor, outcome="accepted", reasoning="x")
    services.disposition_set(comment=b, actor=agency_editor, outcome="noted", reasoning="y")
    url = reverse("discussions:dispositions_csv", args=[open_draft.pk]) + "?" + query
    rows = list(csv.reader(io.StringIO(client_for(None).get(url).content.decode("utf-8-sig"))))
    assert {row[6] for row in rows[1:]} == expected


def test_disposition_page_shows_counts_and_answer_buttons_to_editors(comment, agency_editor):
    url = reverse("discussions:dispositions", args=[comment.draft_id])
    page = client_for(agency_editor).get(url).text
    assert "Not answered" in page and reverse("discussions:dispose", args=[comment.pk]) in page
    assert reverse("discussions:dispose", args=[comment.pk]) not in client_for(None).get(url).text


def test_editor_answers_through_the_form(comment, agency_editor):
    response = client_for(agency_editor).post(
        reverse("discussions:dispose", args=[comment.pk]),
        {"outcome": "partly", "reasoning": "Qisman qabul qilindi", "changed_in_version": "2"},
    )
    assert response.status_code == 302
    assert Disposition.objects.get().changed_in_version.number == 2


def test_answer_form_without_reasoning_is_400(comment, agency_editor):
    response = client_for(agency_editor).post(
        reverse("discussions:dispose", args=[comment.pk]), {"outcome": "noted", "reasoning": ""}
    )
    assert response.status_code == 400


def test_answer_cannot_name_a_version_older_than_the_comment(comment, agency_editor, open_draft):
    first = open_draft.versions.get(number=1)
    assert comment.version.number == 2
    with pytest.raises(ValidationError) as exc:
        services.disposition_set(
            comment=comment,
            actor=agency_editor,
            outcome="accepted",
            reasoning="Kiritildi",
            changed_in_version=first,
        )
    assert exc.value.code == "version_before_comment"
    assert "Version 1 is older than version 2" in exc.value.messages[0]
    assert not Disposition.objects.filter(comment=comment).exists()


def test_answer_may_name_the_version_the_comment_was_written_on(comment, agency_editor, latest):
    disposition = services.disposition_set(
        comment=comment,
        actor=agency_editor,
        outcome="accepted",
        reasoning="Kiritildi",
        changed_in_version=latest,
    )
    assert disposition.changed_in_version == latest


def test_answer_cannot_name_a_version_of_another_draft(comment, agency_editor, make_draft):
    stranger = make_draft(v2="1-modda. Boshqa\nBoshqa matn.\n").versions.get(number=2)
    with pytest.raises(ValidationError) as exc:
        services.disposition_set(
            comment=comment,
            actor=agency_editor,
            outcome="accepted",
            reasoning="Kiritildi",
            changed_in_version=stranger,
        )
    assert exc.value.code == "bad_version"


def test_answer_form_offers_only_the_commented_version_and_later(comment, agency_editor):
    # `comment` is on the latest version (2): version 1 cannot hold a change made for it.
    response = client_for(agency_editor).get(reverse("discussions:dispose", args=[comment.pk]))
    assert response.status_code == 200
    offered = [
        number for number, _label in response.context["form"].fields["changed_in_version"].choices
    ]
    assert offered == ["", 2]


def test_the_unanswered_filter_lists_exactly_the_comments_the_count_awaits(
    open_draft, make_comment, citizen, agency_editor, moderator
):
    """A comment deleted by its author, or hidden by a moderator, needs no answer: the table's
    "not answered" filter agrees with the page's count, and the row says why instead."""
    waiting = make_comment(citizen, "waiting")
    deleted = make_comment(citizen, "deleted")
    services.comment_delete(comment=deleted, author=citizen)
    hidden = make_comment(citizen, "hidden")
    services.comment_hide(comment=hidden, moderator=moderator, reason="Spam")
    url = reverse("discussions:dispositions_csv", args=[open_draft.pk])
    client = client_for(agency_editor)

    def rows(query: str) -> dict[int, str]:
        text = client.get(f"{url}?{query}").content.decode("utf-8-sig")
        return {int(row[0]): row[7] for row in list(csv.reader(io.StringIO(text)))[1:]}

    assert rows("answered=no") == {waiting.pk: "Not answered"} == rows("outcome=none")
    assert unanswered_count(open_draft) == 1
    assert rows("") == {
        waiting.pk: "Not answered",
        deleted.pk: "No answer needed",
        hidden.pk: "No answer needed",
    }
    page = client.get(reverse("discussions:dispositions", args=[open_draft.pk])).text
    assert page.count('class="badge unanswered"') == 1


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "<strong>1</strong> comment awaits the agency’s answer."),
        ("en", 2, "<strong>2</strong> comments await the agency’s answer."),
        ("ru", 1, "<strong>1</strong> комментарий ждёт ответа ведомства."),
        ("ru", 3, "<strong>3</strong> комментария ждут ответа ведомства."),
        ("ru", 5, "<strong>5</strong> комментариев ждут ответа ведомства."),
        ("uz", 2, "<strong>2</strong> ta fikr idora javobini kutmoqda."),
    ],
)
def test_the_unanswered_count_reads_right_in_each_language(
    open_draft, make_comment, citizen, agency_editor, language, count, expected
):
    for n in range(count):
        make_comment(citizen, f"fikr {n}")
    url = reverse("discussions:dispositions", args=[open_draft.pk])
    page = client_for(agency_editor).get(url, headers={"accept-language": language}).text
    assert expected in page


def test_the_answer_page_of_a_reply_says_replies_are_not_answered(comment, business, agency_editor):
    reply = services.comment_create(
        draft=comment.draft, author=business, body="Qo‘shilaman", parent=comment
    )
    response = client_for(agency_editor).get(reverse("discussions:dispose", args=[reply.pk]))
    assert response.status_code == 403
    assert "Replies are not answered" in response.content.decode()
    response = client_for(business).get(reverse("discussions:dispose", args=[comment.pk]))
    assert response.status_code == 403
    assert "Only editors of the drafting agency answer comments." in response.content.decode()

"""Reports, automatic hiding, the moderator's hide/unhide and blocking, all in the action log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussions import services
from discussions.models import Comment, Report
from sovaz.accounts.services import user_block
from sovaz.audit.models import ActionLog
from tests.conftest import client_for, make_user


@pytest.fixture
def reporters(db):
    return [make_user(f"r{i}@example.uz") for i in range(3)]


def test_a_person_reports_a_comment_only_once(comment, business):
    services.comment_report(comment=comment, reporter=business)
    with pytest.raises(ValidationError) as exc:
        services.comment_report(comment=comment, reporter=business)
    assert exc.value.code == "already_reported"
    assert Report.objects.count() == 1


def test_the_database_refuses_a_second_report_by_the_same_person(comment, business):
    Report.objects.create(comment=comment, reporter=business)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(comment=comment, reporter=business)


def test_authors_cannot_report_themselves(comment, citizen):
    with pytest.raises(PermissionDenied):
        services.comment_report(comment=comment, reporter=citizen)


def test_third_report_hides_the_comment_pending_review(comment, reporters):
    for reporter in reporters[:2]:
        services.comment_report(comment=comment, reporter=reporter)
    comment.refresh_from_db()
    assert comment.visibility == Comment.Visibility.VISIBLE
    services.comment_report(comment=comment, reporter=reporters[2])
    comment.refresh_from_db()
    assert comment.visibility == Comment.Visibility.PENDING
    assert comment.report_count == 3
    assert ActionLog.objects.filter(code="discussions.comment.auto_hidden").count() == 1


def test_hidden_comment_leaves_a_placeholder_and_its_replies_stay(comment, business, moderator):
    reply = services.comment_create(
        draft=comment.draft, author=business, body="Javob", parent=comment
    )
    services.comment_hide(comment=comment, moderator=moderator, reason="Haqorat")
    comment.refresh_from_db()
    response = client_for(None).get(reverse("discussions:draft", args=[comment.draft_id]))
    date = f"{comment.hidden_at.astimezone():%d}".lstrip("0")
    assert "Hidden by a moderator on" in response.text and date in response.text
    assert "Yaxshi loyiha." not in response.text
    assert "Javob" in response.text and f'id="comment-{reply.pk}"' in response.text


def test_hide_and_unhide_need_a_reason_and_are_logged(comment, moderator):
    with pytest.raises(ValidationError):
        services.comment_hide(comment=comment, moderator=moderator, reason=" ")
    services.comment_hide(comment=comment, moderator=moderator, reason="spam")
    services.comment_unhide(comment=comment, moderator=moderator, reason="not spam")
    codes = list(ActionLog.objects.order_by("id").values_list("code", flat=True))
    assert codes[-2:] == ["discussions.comment.hidden", "discussions.comment.unhidden"]
    assert ActionLog.objects.get(code="discussions.comment.hidden").data == {"reason": "spam"}


def test_unhiding_resolves_reports_so_one_new_report_does_not_rehide(
    comment, reporters, moderator, business
):
    for reporter in reporters:
        services.comment_report(comment=comment, reporter=reporter)
    services.comment_unhide(comment=comment, moderator=moderator, reason="fine")
    services.comment_report(comment=comment, reporter=business)
    comment.refresh_from_db()
    assert comment.visibility == Comment.Visibility.VISIBLE


def test_only_moderators_hide(comment, agency_editor):
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=comment, moderator=agency_editor, reason="x")


def test_moderator_hides_through_the_page(comment, moderator):
    client = client_for(moderator)
    assert client.get(reverse("discussions:moderate", args=[comment.pk])).status_code == 200
    response = client.post(
        reverse("discussions:moderate", args=[comment.pk]), {"action": "hide", "reason": "spam"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.visibility == Comment.Visibility.HIDDEN and comment.hidden_by == moderator


def test_the_moderation_page_labels_each_reason_by_what_it_is_for(comment, moderator, citizen):
    """The reason for the decision on the comment and the reason for blocking (or unblocking) its
    author are two fields with labels of their own; the hiding reason shown is named as such."""
    client = client_for(moderator)
    url = reverse("discussions:moderate", args=[comment.pk])
    page = client.get(url).text
    assert '<label for="id_reason">Reason for the decision on this comment:</label>' in page
    assert '<label for="block-reason">Reason for blocking the author:</label>' in page
    assert "Reason:" not in page
    services.comment_hide(comment=comment, moderator=moderator, reason="Haqorat")
    user_block(user=citizen, moderator=moderator, reason="Spam")
    page = client.get(url).text
    assert "<strong>Reason for hiding:</strong> Haqorat" in page
    assert '<label for="block-reason">Reason for unblocking the author:</label>' in page
    assert "Reason:" not in page


def test_moderation_queue_lists_reported_and_pending_comments(comment, reporters, moderator):
    services.comment_report(comment=comment, reporter=reporters[0], reason="reklama")
    response = client_for(moderator).get(reverse("discussions:moderation"))
    assert f"#{comment.pk}" in response.text


def test_moderator_blocks_the_author_and_it_is_logged(comment, moderator, citizen):
    response = client_for(moderator).post(
        reverse("discussions:block", args=[citizen.pk]), {"reason": "spam", "action": "block"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.is_blocked
    assert ActionLog.objects.filter(
        code="accounts.user.blocked", target_id=str(citizen.pk)
    ).exists()
    with pytest.raises(PermissionDenied):
        services.comment_create(draft=comment.draft, author=citizen, body="again")


def test_blocking_without_a_reason_goes_back_to_the_comment_with_the_error(
    comment, moderator, citizen
):
    page = reverse("discussions:moderate", args=[comment.pk])
    client = client_for(moderator)
    response = client.post(
        reverse("discussions:block", args=[citizen.pk]),
        {"reason": "   ", "action": "block"},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 302 and response["Location"] == page
    assert "Give a reason." in client.get(page).content.decode()
    citizen.refresh_from_db()
    assert not citizen.is_blocked


def test_blocking_is_refused_to_non_moderators(citizen, business):
    response = client_for(business).post(
        reverse("discussions:block", args=[citizen.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_moderation_queue_queries_stay_bounded(
    open_draft, make_comment, reporters, moderator, django_assert_max_num_queries
):
    for i in range(30):
        target = make_comment(reporters[i % 3], f"c{i}")
        services.comment_report(comment=target, reporter=reporters[(i + 1) % 3])
    client = client_for(moderator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("discussions:moderation"))
    assert response.text.count('href="/discussions/comments/') == 30


def test_a_comment_hidden_by_a_moderator_cannot_be_reported(comment, business, moderator):
    """It is already decided on: no Report button, and the service refuses."""
    services.comment_hide(comment=comment, moderator=moderator, reason="Spam")
    page = client_for(business).get(comment.draft.get_absolute_url()).text
    assert reverse("discussions:report", args=[comment.pk]) not in page
    with pytest.raises(PermissionDenied):
        services.comment_report(comment=comment, reporter=business)


def test_the_moderation_page_calls_reports_complaints_in_russian_and_uzbek(comment, moderator):
    url = reverse("discussions:moderate", args=[comment.pk])
    client = client_for(moderator)
    assert "<h2>Жалобы</h2>" in client.get(url, headers={"accept-language": "ru"}).text
    assert "<h2>Shikoyatlar</h2>" in client.get(url, headers={"accept-language": "uz"}).text


def test_the_queue_lists_blocked_users_and_unblocks_them_with_a_reason(
    moderator, citizen, business
):
    user_block(user=citizen, moderator=moderator, reason="Spam, three times")
    user_block(user=business, moderator=moderator, reason="Insults")
    client = client_for(moderator)
    page = client.get(reverse("discussions:moderation")).content.decode()
    blocked = page.split('id="blocked"', 1)[1]
    assert "Spam, three times" in blocked and "Insults" in blocked
    assert citizen.full_name in blocked and business.full_name in blocked

    response = client.post(
        reverse("discussions:block", args=[citizen.pk]),
        {"reason": "Promised to stop", "action": "unblock"},
        HTTP_REFERER="http://testserver" + reverse("discussions:moderation"),
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_blocked
    entry = ActionLog.objects.get(code="accounts.user.unblocked", target_id=str(citizen.pk))
    assert entry.data == {"reason": "Promised to stop"} and entry.actor == moderator
    blocked = (
        client.get(reverse("discussions:moderation")).content.decode().split('id="blocked"')[1]
    )
    assert citizen.full_name not in blocked and business.full_name in blocked


def test_blocked_users_are_listed_with_a_fixed_number_of_queries(
    moderator, django_assert_num_queries, db
):

    client = client_for(moderator)

    def block(n):
        for i in range(n):
            user = make_user(f"blocked{n}-{i}@example.uz")
            user_block(user=user, moderator=moderator, reason=f"reason {n}-{i}")

    block(2)
    client.get(reverse("discussions:moderation"))  # warm the content type cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("discussions:moderation"))
    block(20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("discussions:moderation"))
    assert response.content.decode().count("reason 20-") == 20

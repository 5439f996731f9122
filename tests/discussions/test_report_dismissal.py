"""A moderator dismisses unfounded reports; hiding a comment tells its author."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from discussions import services
from discussions.models import Comment, Notification, Report
from sovaz.audit.models import ActionLog
from tests.conftest import client_for, make_user


@pytest.fixture
def reporters(db):
    return [make_user(f"r{i}@example.uz") for i in range(3)]


def _report_all(comment, reporters):
    for reporter in reporters:
        services.comment_report(comment=comment, reporter=reporter, reason="spam")


def test_dismissing_reports_restores_a_comment_hidden_by_reports(comment, reporters, moderator):
    _report_all(comment, reporters)
    assert Comment.objects.get(pk=comment.pk).visibility == Comment.Visibility.PENDING
    services.comment_reports_dismiss(comment=comment, moderator=moderator, reason="Unfounded")
    comment.refresh_from_db()
    assert comment.visibility == Comment.Visibility.VISIBLE
    assert not Report.objects.filter(comment=comment, resolved_at=None).exists()
    log = ActionLog.objects.get(code="discussions.comment.reports_dismissed")
    assert log.data == {"reason": "Unfounded", "reports": 3, "restored": True}


def test_dismissed_comment_leaves_the_queue(comment, business, moderator):
    services.comment_report(comment=comment, reporter=business)
    client = client_for(moderator)
    in_queue = f'href="{reverse("discussions:moderate", args=[comment.pk])}"'  # its Review link
    assert in_queue in client.get(reverse("discussions:moderation")).text
    response = client.post(
        reverse("discussions:moderate", args=[comment.pk]),
        {"action": "dismiss", "reason": "Unfounded"},
    )
    assert response.status_code == 302
    assert in_queue not in client.get(reverse("discussions:moderation")).text
    assert Comment.objects.get(pk=comment.pk).visibility == Comment.Visibility.VISIBLE


def test_dismiss_is_offered_on_the_moderation_page(comment, business, moderator):
    services.comment_report(comment=comment, reporter=business)
    page = client_for(moderator).get(reverse("discussions:moderate", args=[comment.pk])).text
    assert 'value="dismiss"' in page


def test_dismissing_needs_open_reports_a_reason_and_a_moderator(comment, moderator, business):
    with pytest.raises(ValidationError):
        services.comment_reports_dismiss(comment=comment, moderator=moderator, reason="x")
    services.comment_report(comment=comment, reporter=business)
    with pytest.raises(ValidationError):
        services.comment_reports_dismiss(comment=comment, moderator=moderator, reason=" ")
    with pytest.raises(PermissionDenied):
        services.comment_reports_dismiss(comment=comment, moderator=business, reason="x")
    assert Report.objects.get().resolved_at is None


def test_hiding_notifies_the_author_in_the_site_and_by_email(
    comment, moderator, citizen, mailoutbox
):
    services.comment_hide(comment=comment, moderator=moderator, reason="Insults")
    notification = Notification.objects.get(recipient=citizen)
    assert notification.kind == Notification.Kind.HIDDEN
    assert notification.detail == "Insults"
    assert notification.email_status == Notification.EmailStatus.PENDING
    page = client_for(citizen).get(reverse("discussions:notifications")).text
    assert "A moderator hid your comment." in page and "Insults" in page
    assert services.notification_emails_send().sent == 1
    assert "A moderator hid your comment" in mailoutbox[0].subject
    assert "Insults" in mailoutbox[0].body

"""The commenter hears of replies and answers in the site and by e-mail, queued in the same
transaction and sent by the outbox worker (tests/discussions/test_notification_outbox.py)."""

from django.urls import reverse

from discussions import services
from discussions.models import Notification
from discussions.selectors import unread_notification_count
from tests.conftest import client_for


def test_answer_notifies_the_commenter_in_the_site_and_queues_the_email_in_its_transaction(
    comment, agency_editor, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.disposition_set(
            comment=comment, actor=agency_editor, outcome="accepted", reasoning="Kiritildi"
        )
    notification = Notification.objects.get()
    assert notification.kind == "disposition"
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert mailoutbox == []  # the worker sends it, not the request

    assert services.notification_emails_send().sent == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [citizen.email]
    assert "Accepted" in message.body and "Kiritildi" in message.body
    assert f"#comment-{comment.pk}" in message.body


def test_reply_notifies_the_parent_author(
    comment, business, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)
    assert unread_notification_count(citizen) == 1
    services.notification_emails_send()
    assert [m.to for m in mailoutbox] == [[citizen.email]]


def test_replying_to_yourself_notifies_nobody(
    comment, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(draft=comment.draft, author=citizen, body="r", parent=comment)
    assert services.notification_emails_send().claimed == 0
    assert not Notification.objects.exists() and mailoutbox == []


def test_a_rolled_back_answer_sends_no_email(
    comment, agency_editor, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.disposition_set(
                    comment=comment, actor=agency_editor, outcome="noted", reasoning="x"
                )
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert services.notification_emails_send().claimed == 0
    assert mailoutbox == [] and not Notification.objects.exists()


def test_notification_page_lists_and_marks_read(comment, business, citizen):
    services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)
    client = client_for(citizen)
    page = client.get(reverse("discussions:notifications"))
    assert "Someone replied to your comment." in page.text and "1 unread" in page.text
    client.post(reverse("discussions:notifications"))
    assert unread_notification_count(citizen) == 0


def test_notification_page_needs_sign_in():
    response = client_for(None).get(reverse("discussions:notifications"))
    assert response.status_code == 302


def test_notification_page_queries_stay_bounded(
    comment, business, citizen, agency_editor, django_assert_max_num_queries
):
    for i in range(20):
        services.comment_create(draft=comment.draft, author=business, body=f"r{i}", parent=comment)
    services.disposition_set(comment=comment, actor=agency_editor, outcome="noted", reasoning="x")
    client = client_for(citizen)
    with django_assert_max_num_queries(7):  # 7th: the unread count in the page header
        response = client.get(reverse("discussions:notifications"))
    assert response.text.count('class="card unread"') == 21

"""Notification e-mails go through an outbox: queued with the write, sent by a worker.

Nothing is mailed during the request; `notification_emails_send` (the `send_notifications`
command) sends each queued e-mail once, backs off while the mail server is down, gives up after
the last attempt, and two workers running at once never send the same e-mail twice.
"""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from discussions import services
from discussions.models import Notification
from tests.conftest import client_for, make_user
from tests.threads import require_shared_database, row_locked_elsewhere, run_threads

PENDING = Notification.EmailStatus.PENDING
SENT = Notification.EmailStatus.SENT
FAILED = Notification.EmailStatus.FAILED
NONE = Notification.EmailStatus.NONE
# What the test runner configures; tests that break the mail server put it back.
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class WorkerKilled(BaseException):
    """Stands for the worker process dying in the middle of a send."""


class DyingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise WorkerKilled


def _mailer(backend: type) -> dict:
    return {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}"}}


@pytest.fixture
def reply(comment, business):
    """A reply to the citizen's comment: one notification with its e-mail queued."""
    return services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)


def test_a_reply_posted_through_the_site_mails_nothing_during_the_request(
    comment, business, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("discussions:reply", args=[comment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(business).post(url, {"body": "Qo‘shilaman."})
    assert response.status_code == 302
    assert mailoutbox == []
    notification = Notification.objects.get()
    assert notification.recipient == citizen
    assert notification.email_status == PENDING
    assert notification.email_attempts == 0
    assert notification.email_next_try_at is not None
    assert notification.email_language == "en"


def test_the_worker_sends_a_queued_email_once_and_marks_it_sent(reply, citizen, mailoutbox):
    now = timezone.now()

    result = services.notification_emails_send(now=now)

    assert (result.claimed, result.sent) == (1, 1)
    assert [m.to for m in mailoutbox] == [[citizen.email]]
    assert "replied to your comment" in mailoutbox[0].body
    notification = Notification.objects.get()
    assert notification.email_status == SENT
    assert notification.email_sent_at == now
    assert notification.email_attempts == 1
    assert notification.email_next_try_at is None
    assert services.notification_emails_send(now=now + timedelta(days=1)).claimed == 0
    assert len(mailoutbox) == 1


def test_the_email_is_written_in_the_language_of_the_request_that_caused_it(
    comment, business, mailoutbox
):
    with translation.override("ru"):
        services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)
    assert Notification.objects.get().email_language == "ru"

    services.notification_emails_send()  # the test runs in English

    assert mailoutbox[0].subject == f"{comment.draft.number}: ответ на ваш комментарий"


def test_a_failing_mail_server_backs_off_and_nothing_is_lost(reply, citizen, settings, mailoutbox):
    settings.MAILERS = _mailer(RefusingBackend)
    now = timezone.now()

    result = services.notification_emails_send(now=now)

    assert (result.claimed, result.sent, result.retrying) == (1, 0, 1)
    notification = Notification.objects.get()
    assert notification.email_status == PENDING
    assert notification.email_attempts == 1
    assert notification.email_next_try_at == now + timedelta(minutes=1)
    assert "ConnectionRefusedError" in notification.email_error
    # Not due again before its next try.
    assert services.notification_emails_send(now=now + timedelta(seconds=59)).claimed == 0

    settings.MAILERS = LOCMEM  # the server is back
    result = services.notification_emails_send(now=now + timedelta(minutes=1))

    assert result.sent == 1
    assert [m.to for m in mailoutbox] == [[citizen.email]]
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (SENT, 2)
    assert notification.email_error == ""


def test_after_the_last_attempt_the_email_is_marked_failed_and_an_error_is_logged(
    reply, settings, mailoutbox, caplog
):
    settings.MAILERS = _mailer(RefusingBackend)
    now = timezone.now()
    waits = []
    for _ in range(services.EMAIL_MAX_ATTEMPTS):
        assert services.notification_emails_send(now=now).claimed == 1
        notification = Notification.objects.get()
        if notification.email_status != PENDING:
            break
        waits.append(notification.email_next_try_at - now)
        now = notification.email_next_try_at

    # 1, 2, 4 … 256 minutes between the ten attempts, then the dead letter.
    assert waits == [timedelta(minutes=2**n) for n in range(services.EMAIL_MAX_ATTEMPTS - 1)]
    assert notification.email_status == FAILED
    assert notification.email_attempts == services.EMAIL_MAX_ATTEMPTS
    assert notification.email_next_try_at is None
    assert "Connection refused" in notification.email_error
    assert any(r.levelname == "ERROR" and "gave up" in r.getMessage() for r in caplog.records)
    assert services.notification_emails_send(now=now + timedelta(days=30)).claimed == 0
    assert mailoutbox == []


def test_the_back_off_is_capped():
    assert services.email_retry_delay(1) == timedelta(minutes=1)
    assert services.email_retry_delay(30) == services.EMAIL_RETRY_CAP


def test_an_email_claimed_by_a_worker_that_died_goes_out_after_the_lease(
    reply, settings, mailoutbox
):
    settings.MAILERS = _mailer(DyingBackend)
    now = timezone.now()
    with pytest.raises(WorkerKilled):
        services.notification_emails_send(now=now)
    settings.MAILERS = LOCMEM  # the server is back

    assert services.notification_emails_send(now=now + timedelta(minutes=4)).claimed == 0
    assert services.notification_emails_send(now=now + services.EMAIL_LEASE).sent == 1
    assert len(mailoutbox) == 1


def test_no_email_is_queued_for_an_inactive_recipient(comment, business, citizen, mailoutbox):
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    services.comment_create(draft=comment.draft, author=business, body="r", parent=comment)
    notification = Notification.objects.get()
    assert notification.email_status == NONE and notification.email_next_try_at is None
    assert services.notification_emails_send().claimed == 0 and mailoutbox == []


def test_a_recipient_deactivated_before_the_send_gets_no_email(reply, citizen, mailoutbox):
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    result = services.notification_emails_send()
    assert (result.claimed, result.sent) == (1, 0)
    assert Notification.objects.get().email_status == NONE
    assert mailoutbox == []


def test_send_notifications_runs_once_without_loop(reply, citizen, mailoutbox):
    out = StringIO()
    call_command("send_notifications", stdout=out)
    assert "claimed 1: sent 1, retrying 0, failed 0" in out.getvalue()
    assert [m.to for m in mailoutbox] == [[citizen.email]]


def test_the_admin_lists_the_email_state_and_filters_by_it(reply, settings):
    settings.MAILERS = _mailer(RefusingBackend)
    services.notification_emails_send()
    admin_user = make_user("admin@sovaz.uz", is_staff=True, is_superuser=True)
    url = reverse("admin:discussions_notification_changelist")
    client = client_for(admin_user)

    page = client.get(url, {"email_status__exact": "pending"})
    assert page.status_code == 200
    assert "Waiting to be mailed" in page.text and "ConnectionRefusedError" in page.text
    assert "Mailing gave up" in page.text  # a choice of the filter
    empty = client.get(url, {"email_status__exact": "sent"})
    assert "0 notifications" in empty.text


# ---------------------------------------------------------------- concurrent workers


def _queue_for_readers(comment, n: int) -> list[Notification]:
    """`n` queued e-mails, each to another reader, as _notify writes them."""
    now = timezone.now()
    return [
        Notification.objects.create(
            recipient=make_user(f"reader{i}@example.uz"),
            kind=Notification.Kind.REPLY,
            comment=comment,
            email_status=PENDING,
            email_next_try_at=now,
        )
        for i in range(n)
    ]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_workers_running_at_once_never_send_the_same_email_twice(comment, mailoutbox):
    require_shared_database()
    queued = _queue_for_readers(comment, 12)
    now = timezone.now()

    def worker() -> int:
        sent = 0
        while (result := services.notification_emails_send(now=now, limit=2)).claimed:
            sent += result.sent
        return sent

    results = run_threads([worker] * 4)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 12
    recipients = Counter(address for m in mailoutbox for address in m.to)
    assert recipients == Counter(n.recipient.email for n in queued)
    assert set(Notification.objects.values_list("email_status", "email_attempts")) == {(SENT, 1)}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_email_locked_by_another_worker_is_skipped_not_waited_for(comment, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite has no row locks to skip")
    first, *_rest = _queue_for_readers(comment, 3)
    with row_locked_elsewhere(Notification, first.pk):
        result = services.notification_emails_send()
    assert result.sent == 2
    assert first.recipient.email not in {m.to[0] for m in mailoutbox}
    first.refresh_from_db()
    assert (first.email_status, first.email_attempts) == (PENDING, 0)

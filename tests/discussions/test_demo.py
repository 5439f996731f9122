"""The demo comments load on the open draft, twice without duplicates."""

from discussions import demo, services
from discussions.models import Comment, Disposition, Notification


def test_demo_loads_comments_replies_and_answers_idempotently(make_draft):
    import sovaz.demo

    sovaz.demo.load()
    draft = make_draft(discussion=True)
    demo.load()
    demo.load()
    comments = Comment.objects.filter(draft=draft)
    assert 15 <= comments.count() <= 30
    assert comments.filter(parent__isnull=False).exists()
    assert comments.filter(anchor_kind="provision").exists()
    assert comments.filter(body__contains="Предлагаю").exists()
    assert comments.filter(author__kind="business").exists()
    assert Disposition.objects.filter(comment__draft=draft).count() >= 3


def test_demo_skips_quietly_without_an_open_draft(db):
    demo.load()
    assert not Comment.objects.exists()


def test_demo_sends_no_email(make_draft, mailoutbox, django_capture_on_commit_callbacks):
    import sovaz.demo

    sovaz.demo.load()
    make_draft(discussion=True)
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    assert Notification.objects.exists()
    assert not Notification.objects.exclude(email_status=Notification.EmailStatus.NONE).exists()
    assert services.notification_emails_send().claimed == 0
    assert mailoutbox == []

"""Every write to comments, reports, dispositions and notifications.

Each service validates, writes inside ``transaction.atomic()``, leaves an action-log entry for
moderation and answers, publishes a live event inside the same transaction (the live app sends it
after commit) and queues e-mail in the same transaction: a notification to be mailed is written
`pending` (the outbox) and `notification_emails_send` (the `send_notifications` command) sends
it later, outside any request, retrying with back-off.
"""

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from discussions import events, permissions, selectors
from discussions.models import (
    AUTO_HIDE_REPORTS,
    MAX_BODY_LENGTH,
    MAX_DEPTH,
    Comment,
    Disposition,
    Notification,
    Report,
)
from drafts.models import Draft, Version
from drafts.textparse import find_node
from sovaz.accounts.models import User
from sovaz.accounts.permissions import is_secretariat
from sovaz.audit.services import action_log
from sovaz.sanitize import markdown_to_html

logger = logging.getLogger(__name__)

# The e-mail outbox. A claimed e-mail that is neither sent nor rescheduled within the lease (its
# worker died mid-send) is due again; the lease is far longer than an SMTP exchange should take.
EMAIL_LEASE = timedelta(minutes=5)
EMAIL_BATCH = 20
# Failed attempt n waits min(cap, base·2ⁿ⁻¹) — 1, 2, 4 … 256 minutes — so the 10th and last
# attempt comes about 8½ hours after the first; then the e-mail is marked failed.
EMAIL_RETRY_BASE = timedelta(minutes=1)
EMAIL_RETRY_CAP = timedelta(hours=6)
EMAIL_MAX_ATTEMPTS = 10

_ALLOWED_CONTROLS = {"\n", "\t"}

# The draft's fields that decide whether it may be commented on (and by whom), read again
# inside the comment's transaction.
DRAFT_STATE_FIELDS = [
    "status",
    "published_at",
    "agency_id",
    "discussion_starts_at",
    "discussion_ends_at",
]


def body_validate(body: str) -> str:
    """Return the body to store (line endings normalised, nothing else changed) or refuse it."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            _("Comments are limited to %(limit)s characters; yours has %(length)s.")
            % {"limit": f"{MAX_BODY_LENGTH:,}", "length": f"{len(body):,}"},
            code="too_long",
        )
    for char in body:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs":
            raise ValidationError(
                _("The text contains a control character (U+%(code)04X) that cannot be stored.")
                % {"code": ord(char)},
                code="control_character",
            )
    return body


def _lock_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("draft__agency", "author", "version")
        .get(pk=comment.pk)
    )


def _anchor_validate(
    *, draft: Draft, version: Version, anchor_kind: str, anchor_wid: str, anchor_key: str
) -> tuple[str, str, str]:
    if anchor_kind not in Comment.Anchor.values:
        raise ValidationError(_("Choose what the comment is about."), code="bad_anchor")
    if anchor_kind == Comment.Anchor.PROVISION:
        node = find_node(version.structure, anchor_wid) if anchor_wid else None
        if node is None or node["type"] not in ("article", "paragraph"):
            raise ValidationError(
                _("That article or paragraph is not in version %(number)s.")
                % {"number": version.number},
                code="bad_anchor",
            )
        return anchor_kind, anchor_wid, ""
    if anchor_kind == Comment.Anchor.ASSESSMENT:
        return anchor_kind, "", anchor_key.strip()[:200]
    return anchor_kind, "", ""


def comment_create(
    *,
    draft: Draft,
    author: User,
    body: str,
    version: Version | None = None,
    anchor_kind: str = Comment.Anchor.DRAFT,
    anchor_wid: str = "",
    anchor_key: str = "",
    parent: Comment | None = None,
    now: datetime | None = None,
    send_email: bool = True,
) -> Comment:
    """Post a comment or, with `parent`, a reply (which takes its parent's anchor and version).

    `send_email=False` keeps the notification in the site only (demo data, imports).
    """
    now = now or timezone.now()
    body = body_validate(body)
    with transaction.atomic():
        # What may have changed since the caller loaded the draft: whether it is open.
        draft.refresh_from_db(fields=DRAFT_STATE_FIELDS)
        if not permissions.can_comment(author, draft, now):
            raise PermissionDenied(permissions.comment_refusal(author, draft, now))
        if parent is not None:
            parent = _lock_comment(parent)
            if parent.draft_id != draft.pk:
                raise ValidationError(_("That comment is on another draft."), code="bad_parent")
            if parent.depth >= MAX_DEPTH:
                raise ValidationError(
                    _("Replies can be nested only %(depth)s levels deep.") % {"depth": MAX_DEPTH},
                    code="too_deep",
                )
            version = parent.version
            anchor_kind, anchor_wid, anchor_key = (
                parent.anchor_kind,
                parent.anchor_wid,
                parent.anchor_key,
            )
        else:
            version = version or draft.versions.order_by("-number").first()
            if version is None or version.draft_id != draft.pk:
                raise ValidationError(_("No such version of this draft."), code="bad_version")
            anchor_kind, anchor_wid, anchor_key = _anchor_validate(
                draft=draft,
                version=version,
                anchor_kind=anchor_kind,
                anchor_wid=anchor_wid,
                anchor_key=anchor_key,
            )
        comment = Comment.objects.create(
            draft=draft,
            version=version,
            anchor_kind=anchor_kind,
            anchor_wid=anchor_wid,
            anchor_key=anchor_key,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            author=author,
            body=body,
            body_html=markdown_to_html(body),
            created_at=now,
        )
        # A new comment has no answer yet: say so, so rendering it does not ask the database.
        Comment.disposition.related.set_cached_value(comment, None)
        if parent is not None and parent.author_id != author.pk and not parent.is_deleted:
            _notify(
                recipient=parent.author,
                kind=Notification.Kind.REPLY,
                comment=parent,
                send_email=send_email,
                now=now,
            )
        events.comment_publish("comment.created", comment)
    return comment


def comment_edit(
    *, comment: Comment, author: User, body: str, now: datetime | None = None
) -> Comment:
    """Change a comment's text; its author may, within 15 minutes of writing it.

    Someone else gets PermissionDenied. The author past the deadline (or blocked, or after the
    discussion closed) gets a ValidationError coded `edit_window_closed` or `cannot_comment`,
    so the form is shown again with the text they typed.
    """
    now = now or timezone.now()
    body = body_validate(body)
    with transaction.atomic():
        comment = _lock_comment(comment)
        if not permissions.is_comment_author(author, comment):
            raise PermissionDenied(_("Only its author may edit a comment."))
        if not permissions.can_edit_comment(author, comment, now):
            if comment.visibility != Comment.Visibility.VISIBLE:
                raise ValidationError(
                    _("This comment is hidden for review, so it can no longer be changed."),
                    code="comment_hidden",
                )
            deadline = permissions.edit_deadline(comment)
            if now > deadline:
                raise ValidationError(edit_closed_message(deadline), code="edit_window_closed")
            raise ValidationError(
                permissions.comment_refusal(author, comment.draft, now), code="cannot_comment"
            )
        if body == comment.body:
            return comment
        comment.body = body
        comment.body_html = markdown_to_html(body)
        comment.edited_at = now
        comment.revision += 1
        comment.save(update_fields=["body", "body_html", "edited_at", "revision"])
        events.comment_publish("comment.edited", comment)
    return comment


def edit_closed_message(deadline: datetime) -> str:
    return _(
        "The time for editing this comment ended at %(time)s, so your change was not saved. "
        "Your text is kept here: you can publish it as a reply or as a new comment."
    ) % {"time": date_format(timezone.localtime(deadline), "j E Y, H:i")}


def comment_delete(*, comment: Comment, author: User, now: datetime | None = None) -> Comment:
    """Delete a comment, leaving a tombstone so its replies keep their place."""
    with transaction.atomic():
        comment = _lock_comment(comment)
        if not permissions.can_delete_comment(author, comment):
            raise PermissionDenied(_("Only its author may delete a comment."))
        comment.deleted_at = now or timezone.now()
        comment.body = ""
        comment.body_html = ""
        comment.revision += 1
        comment.save(update_fields=["deleted_at", "body", "body_html", "revision"])
        events.comment_publish("comment.deleted", comment)
    return comment


def comment_report(*, comment: Comment, reporter: User, reason: str = "") -> Report:
    """Report a comment once; the third open report hides it until a moderator reviews it."""
    with transaction.atomic():
        comment = _lock_comment(comment)
        if not permissions.can_report_comment(reporter, comment):
            raise PermissionDenied(_("You cannot report this comment."))
        if Report.objects.filter(comment=comment, reporter=reporter).exists():
            raise ValidationError(
                _("You have already reported this comment."), code="already_reported"
            )
        report = Report.objects.create(comment=comment, reporter=reporter, reason=reason[:1000])
        comment.report_count += 1
        comment.save(update_fields=["report_count"])
        action_log(
            actor=reporter,
            code="discussions.comment.reported",
            target=comment,
            data={"reason": reason[:1000]},
        )
        open_reports = Report.objects.filter(comment=comment, resolved_at=None).count()
        if comment.visibility == Comment.Visibility.VISIBLE and open_reports >= AUTO_HIDE_REPORTS:
            _set_visibility(comment, Comment.Visibility.PENDING, by=None, reason="")
            action_log(
                actor=None,
                code="discussions.comment.auto_hidden",
                target=comment,
                data={"reports": open_reports},
            )
            events.comment_publish("comment.hidden", comment)
    return report


def _set_visibility(comment: Comment, visibility: str, *, by: User | None, reason: str) -> None:
    """Show, hide or queue a locked comment; a new revision so clients replace their copy."""
    comment.visibility = visibility
    comment.hidden_at = None if visibility == Comment.Visibility.VISIBLE else timezone.now()
    comment.hidden_by = by
    comment.hidden_reason = reason
    comment.revision += 1
    comment.save(
        update_fields=["visibility", "hidden_at", "hidden_by", "hidden_reason", "revision"]
    )


def _moderate(*, comment: Comment, moderator: User, reason: str) -> Comment:
    if not permissions.can_moderate(moderator):
        raise PermissionDenied(_("Only moderators may hide or restore comments."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="reason_required")
    comment = _lock_comment(comment)
    # How many open reports this review closed, for the caller's log.
    comment.reports_resolved = Report.objects.filter(comment=comment, resolved_at=None).update(
        resolved_at=timezone.now()
    )
    return comment


def comment_hide(*, comment: Comment, moderator: User, reason: str) -> Comment:
    with transaction.atomic():
        comment = _moderate(comment=comment, moderator=moderator, reason=reason)
        _set_visibility(
            comment, Comment.Visibility.HIDDEN, by=moderator, reason=reason.strip()[:1000]
        )
        action_log(
            actor=moderator,
            code="discussions.comment.hidden",
            target=comment,
            data={"reason": comment.hidden_reason},
        )
        if not comment.is_deleted:
            _notify(
                recipient=comment.author,
                kind=Notification.Kind.HIDDEN,
                comment=comment,
                send_email=True,
                now=comment.hidden_at,
                detail=comment.hidden_reason,
            )
        events.comment_publish("comment.hidden", comment)
    return comment


def comment_reports_dismiss(*, comment: Comment, moderator: User, reason: str) -> Comment:
    """Close a comment's open reports as unfounded: it leaves the queue, and a comment hidden
    automatically by reports is shown again. A comment hidden by a moderator stays hidden."""
    with transaction.atomic():
        comment = _moderate(comment=comment, moderator=moderator, reason=reason)
        was_pending = comment.visibility == Comment.Visibility.PENDING
        if not comment.reports_resolved and not was_pending:
            # Nothing was changed yet that the rollback of this refusal would not undo.
            raise ValidationError(
                _("This comment has no open reports to dismiss."), code="no_open_reports"
            )
        if was_pending:
            _set_visibility(comment, Comment.Visibility.VISIBLE, by=None, reason="")
        action_log(
            actor=moderator,
            code="discussions.comment.reports_dismissed",
            target=comment,
            data={
                "reason": reason.strip(),
                "reports": comment.reports_resolved,
                "restored": was_pending,
            },
        )
        if was_pending:
            events.comment_publish("comment.unhidden", comment)
    return comment


def comment_unhide(*, comment: Comment, moderator: User, reason: str) -> Comment:
    """Restore a hidden comment; its open reports count as reviewed."""
    with transaction.atomic():
        comment = _moderate(comment=comment, moderator=moderator, reason=reason)
        if comment.visibility == Comment.Visibility.VISIBLE:
            raise ValidationError(_("This comment is not hidden."), code="not_hidden")
        _set_visibility(comment, Comment.Visibility.VISIBLE, by=None, reason="")
        action_log(
            actor=moderator,
            code="discussions.comment.unhidden",
            target=comment,
            data={"reason": reason.strip()},
        )
        events.comment_publish("comment.unhidden", comment)
    return comment


def disposition_set(
    *,
    comment: Comment,
    actor: User,
    outcome: str,
    reasoning: str,
    changed_in_version: Version | None = None,
    send_email: bool = True,
) -> Disposition:
    """Give (or change) the agency's answer to a top-level comment.

    Earlier answers stay in the disposition's history, with who changed them.
    """
    if outcome not in Disposition.Outcome.values:
        raise ValidationError(_("Choose an outcome."), code="bad_outcome")
    reasoning = reasoning.strip()
    if not reasoning:
        raise ValidationError(_("Give the reasoning for the answer."), code="reason_required")
    if len(reasoning) > MAX_BODY_LENGTH:
        raise ValidationError(
            _("The reasoning is limited to %(limit)s characters.") % {"limit": MAX_BODY_LENGTH},
            code="too_long",
        )
    if changed_in_version is not None and outcome not in (
        Disposition.Outcome.ACCEPTED,
        Disposition.Outcome.PARTLY,
    ):
        raise ValidationError(
            _(
                "Only an accepted or partly accepted comment changes the text: leave “Changed "
                "in version” empty for the answer “%(outcome)s”."
            )
            % {"outcome": Disposition.Outcome(outcome).label},
            code="version_without_change",
        )
    with transaction.atomic():
        comment = _lock_comment(comment)
        if not permissions.can_dispose(actor, comment):
            raise PermissionDenied(_("Only editors of the drafting agency answer comments."))
        if changed_in_version is not None and changed_in_version.draft_id != comment.draft_id:
            raise ValidationError(_("No such version of this draft."), code="bad_version")
        if changed_in_version is not None and changed_in_version.number < comment.version.number:
            # A change cannot answer a comment written on a later text.
            raise ValidationError(
                _(
                    "Version %(changed)s is older than version %(commented)s, on which the "
                    "comment was written; name version %(commented)s or a later one."
                )
                % {"changed": changed_in_version.number, "commented": comment.version.number},
                code="version_before_comment",
            )
        disposition = Disposition.objects.filter(comment=comment).first()
        created = disposition is None
        if disposition is None:
            disposition = Disposition(comment=comment)
        else:
            disposition.revision += 1  # the earlier answer stays in the history
        disposition.outcome = outcome
        disposition.reasoning = reasoning
        disposition.changed_in_version = changed_in_version
        disposition.decided_by = actor
        disposition.decided_at = timezone.now()
        disposition._history_user = actor
        disposition._change_reason = "created" if created else "changed"
        disposition.save()
        comment.revision += 1
        comment.save(update_fields=["revision"])
        comment.disposition = disposition
        action_log(
            actor=actor,
            code="discussions.disposition.set",
            target=comment,
            data={"outcome": outcome, "version": getattr(changed_in_version, "number", None)},
        )
        if not comment.is_deleted:
            _notify(
                recipient=comment.author,
                kind=Notification.Kind.DISPOSITION if created else Notification.Kind.ANSWER_CHANGED,
                comment=comment,
                send_email=send_email,
                now=disposition.decided_at,
                # What this answer said, so a later change does not rewrite this notice.
                outcome=disposition.outcome,
                detail=disposition.reasoning,
            )
        events.comment_publish("disposition.set", comment)
    return disposition


def discussion_exit_check(*, draft: Draft, actor: User, override_reason: str = "") -> None:
    """Refuse to leave discussion while comments are unanswered, unless the secretariat overrides.

    Call inside the transaction that moves the draft on: the override is logged there.
    """
    count = selectors.unanswered_count(draft)
    if count == 0:
        return
    if is_secretariat(actor) and override_reason.strip():
        action_log(
            actor=actor,
            code="discussions.draft.unanswered_override",
            target=draft,
            data={"unanswered": count, "reason": override_reason.strip()},
        )
        return
    raise ValidationError(
        ngettext(
            "%(count)s comment has not been answered by the drafting agency.",
            "%(count)s comments have not been answered by the drafting agency.",
            count,
        )
        % {"count": count},
        code="unanswered_comments",
    )


def _notify(
    *,
    recipient: User,
    kind: str,
    comment: Comment,
    send_email: bool,
    now: datetime,
    outcome: str = "",
    detail: str = "",
) -> Notification:
    """Write a notification in the caller's transaction and, if it is to be mailed, queue the
    e-mail in the same row: a rolled-back write mails nothing, a committed one is never lost."""
    mail = send_email and bool(recipient.email) and recipient.is_active
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        comment=comment,
        outcome=outcome,
        detail=detail,
        email_status=Notification.EmailStatus.PENDING if mail else Notification.EmailStatus.NONE,
        email_next_try_at=now if mail else None,
        # Mails used to go out during the request, in its language; the User has no language of
        # its own, so the request's language is kept for the worker.
        email_language=(translation.get_language() or "") if mail else "",
    )


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


# ---------------------------------------------------------------- the e-mail worker


@dataclass
class EmailRun:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def email_retry_delay(attempts: int) -> timedelta:
    """How long to wait after failed attempt number `attempts` (1 for the first)."""
    return min(EMAIL_RETRY_CAP, EMAIL_RETRY_BASE * 2 ** max(0, attempts - 1))


def _emails_claim(*, now: datetime, limit: int) -> list[Notification]:
    """Lease up to `limit` due e-mails to this worker and count the attempt.

    On PostgreSQL other workers skip the locked rows (SKIP LOCKED) and, once this commits, see
    them leased into the future. SQLite ignores select_for_update, but the IMMEDIATE transaction
    takes the write lock at BEGIN, so claims there run one after another.
    """
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                email_status=Notification.EmailStatus.PENDING, email_next_try_at__lte=now
            )
            .order_by("email_next_try_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(
            email_attempts=F("email_attempts") + 1, email_next_try_at=now + EMAIL_LEASE
        )
    return list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient", "comment__draft", "comment__disposition")
        .order_by("id")
    )


def _email_message(notification: Notification) -> EmailMessage:
    context = {"notification": notification, "site_url": settings.SITE_URL}
    with translation.override(notification.email_language or settings.LANGUAGE_CODE):
        subject = render_to_string("discussions/email/notification_subject.txt", context)
        body = render_to_string("discussions/email/notification_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()), body=body, to=[notification.recipient.email]
    )


def _email_update(notification: Notification, **fields) -> None:
    # Only a row still pending: if this worker outlived its lease and another one has sent the
    # mail since, a late failure here must not turn `sent` back into a retry.
    Notification.objects.filter(
        pk=notification.pk, email_status=Notification.EmailStatus.PENDING
    ).update(**fields)


def _email_failed(notification: Notification, error: Exception, now: datetime) -> str:
    """Schedule the next attempt after a failure, or give up after the last; return which."""
    message = f"{type(error).__name__}: {error}"[:500]
    attempts = notification.email_attempts
    if attempts >= EMAIL_MAX_ATTEMPTS:
        logger.error(
            "discussions: gave up e-mailing notification %s after %s attempts: %s",
            notification.pk,
            attempts,
            message,
        )
        _email_update(
            notification,
            email_status=Notification.EmailStatus.FAILED,
            email_next_try_at=None,
            email_error=message,
        )
        return "failed"
    logger.warning(
        "discussions: e-mail for notification %s failed (attempt %s), will retry: %s",
        notification.pk,
        attempts,
        message,
    )
    _email_update(
        notification, email_next_try_at=now + email_retry_delay(attempts), email_error=message
    )
    return "retrying"


def notification_emails_send(*, now: datetime | None = None, limit: int = EMAIL_BATCH) -> EmailRun:
    """Send one batch of due notification e-mails through the default mailer; say what happened.

    Claimed rows are leased (see `_emails_claim`), so two workers never send the same e-mail;
    sending happens outside any transaction. A failure is retried with exponential back-off up
    to EMAIL_MAX_ATTEMPTS, then the notification is marked failed (visible in the admin) and an
    error logged. `now` drives the schedule, so tests need not sleep.
    """
    now = now or timezone.now()
    batch = _emails_claim(now=now, limit=limit)
    result = EmailRun(claimed=len(batch))
    if not batch:
        return result
    mailer = mailers.default
    for notification in batch:
        recipient = notification.recipient
        if not (recipient.email and recipient.is_active):
            _email_update(
                notification,
                email_status=Notification.EmailStatus.NONE,
                email_next_try_at=None,
                email_error="The recipient was deactivated or lost the e-mail address.",
            )
            continue
        try:
            mailer.send_messages([_email_message(notification)])
        except Exception as exc:  # any backend or template failure: retried, never lost
            outcome = _email_failed(notification, exc, now)
            result.errors.append(f"notification {notification.pk}: {type(exc).__name__}: {exc}")
            if outcome == "failed":
                result.failed += 1
            else:
                result.retrying += 1
            continue
        _email_update(
            notification,
            email_status=Notification.EmailStatus.SENT,
            email_sent_at=now,
            email_next_try_at=None,
            email_error="",
        )
        result.sent += 1
    return result

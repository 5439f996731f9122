"""Every write to comments, reports, dispositions and notifications.

Each service validates, writes inside ``transaction.atomic()``, leaves an action-log entry for
moderation and answers, publishes a live event inside the same transaction (the live app sends it
after commit) and sends e-mail only after commit.
"""

import logging
import unicodedata
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
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

_ALLOWED_CONTROLS = {"\n", "\t"}


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
        draft = Draft.objects.select_related("agency").get(pk=draft.pk)
        if not permissions.can_comment(author, draft, now):
            raise PermissionDenied(_("The discussion of this draft is not open to you."))
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
            )
        events.comment_publish("comment.created", comment)
    return comment


def comment_edit(
    *, comment: Comment, author: User, body: str, now: datetime | None = None
) -> Comment:
    """Change a comment's text; its author may, within 15 minutes of writing it."""
    now = now or timezone.now()
    body = body_validate(body)
    with transaction.atomic():
        comment = _lock_comment(comment)
        if not permissions.can_edit_comment(author, comment, now):
            raise PermissionDenied(_("Comments can be edited by their author for 15 minutes."))
        if body == comment.body:
            return comment
        comment.body = body
        comment.body_html = markdown_to_html(body)
        comment.edited_at = now
        comment.revision += 1
        comment.save(update_fields=["body", "body_html", "edited_at", "revision"])
        events.comment_publish("comment.edited", comment)
    return comment


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
    Report.objects.filter(comment=comment, resolved_at=None).update(resolved_at=timezone.now())
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
        events.comment_publish("comment.hidden", comment)
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
        disposition = disposition or Disposition(comment=comment)
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
                kind=Notification.Kind.DISPOSITION,
                comment=comment,
                send_email=send_email,
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


def _notify(*, recipient: User, kind: str, comment: Comment, send_email: bool) -> Notification:
    notification = Notification.objects.create(recipient=recipient, kind=kind, comment=comment)
    if send_email and recipient.email and recipient.is_active:
        transaction.on_commit(lambda: _send_email(notification.pk))
    return notification


def _send_email(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient", "comment__draft")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return
    context = {"notification": notification, "site_url": settings.SITE_URL}
    subject = render_to_string("discussions/email/notification_subject.txt", context)
    body = render_to_string("discussions/email/notification_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [notification.recipient.email])
    except Exception:
        # The notification is in the site already; a mail server outage must not fail the write.
        logger.exception("discussions: e-mail for notification %s failed", notification_id)


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())

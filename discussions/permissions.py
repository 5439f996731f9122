"""Who may read and do what in a discussion. Named predicates, each tested in tests/discussions."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from discussions.models import MAX_DEPTH, Comment
from drafts.models import Draft
from drafts.permissions import can_view_draft
from sovaz.accounts.permissions import AnyUser, can_post, is_editor_of, is_moderator

EDIT_WINDOW = timedelta(minutes=15)


def can_read_comments(user: AnyUser, draft: Draft) -> bool:
    return can_view_draft(user, draft)


def can_comment(user: AnyUser, draft: Draft, now: datetime | None = None) -> bool:
    """Signed in, not blocked, and the discussion period is open (server time)."""
    return can_post(user) and can_view_draft(user, draft) and draft.is_open_for_comment(now)


def comment_refusal(user: AnyUser, draft: Draft, now: datetime | None = None) -> str:
    """Why `can_comment` says no, in words for the person refused."""
    if getattr(user, "is_blocked", False):
        return _("A moderator has blocked your account from posting.")
    if user.is_authenticated and not draft.is_open_for_comment(now):
        return _("The discussion of this draft is closed; your comment was not published.")
    return _("You cannot comment on this draft now.")


def can_reply(user: AnyUser, comment: Comment, now: datetime | None = None) -> bool:
    return comment.depth < MAX_DEPTH and can_comment(user, comment.draft, now)


def offers_reply(user: AnyUser, comment: Comment) -> bool:
    """Whether the page shows "Reply": not under a deleted or hidden comment, whose text is not
    shown. A reply box opened before the comment was hidden may still be sent."""
    return comment.is_public and can_reply(user, comment)


def can_edit_comment(user: AnyUser, comment: Comment, now: datetime | None = None) -> bool:
    """Its author, within 15 minutes of writing it, while the discussion is open, unless it was
    hidden (by a moderator or by reports): what is being judged stays as it was."""
    now = now or timezone.now()
    return (
        comment.author_id == getattr(user, "pk", None)
        and not comment.is_deleted
        and comment.visibility == Comment.Visibility.VISIBLE
        and now - comment.created_at <= EDIT_WINDOW
        and can_comment(user, comment.draft, now)
    )


def is_comment_author(user: AnyUser, comment: Comment) -> bool:
    """The author of a comment that is still there (whether or not they may still edit it)."""
    return comment.author_id == getattr(user, "pk", None) and not comment.is_deleted


def edit_deadline(comment: Comment) -> datetime:
    """The last moment its author may change the comment: 15 minutes after writing it, or the
    end of the discussion if that comes first."""
    deadline = comment.created_at + EDIT_WINDOW
    ends = comment.draft.discussion_ends_at
    return min(deadline, ends) if ends else deadline


def can_delete_comment(user: AnyUser, comment: Comment) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and comment.author_id == user.pk
        and not comment.is_deleted
    )


def can_report_comment(user: AnyUser, comment: Comment) -> bool:
    """Anyone signed in, except the author; the database allows one report per person. A
    comment a moderator has hidden is already decided on: there is nothing left to report."""
    return bool(
        user.is_authenticated
        and user.is_active
        and comment.author_id != user.pk
        and not comment.is_deleted
        and comment.visibility != Comment.Visibility.HIDDEN
    )


def can_moderate(user: AnyUser) -> bool:
    """Hide and restore comments, see the queue, block users."""
    return is_moderator(user)


def can_dispose(user: AnyUser, comment: Comment) -> bool:
    """Editors of the drafting agency answer top-level comments."""
    return (
        comment.parent_id is None
        and not comment.is_deleted
        and is_editor_of(user, comment.draft.agency_id)
    )


def dispose_refusal(user: AnyUser, comment: Comment) -> str:
    """Why `can_dispose` said no, in words for the person asking."""
    if not is_editor_of(user, comment.draft.agency_id):
        return _("Only editors of the drafting agency answer comments.")
    if comment.parent_id is not None:
        return _("Replies are not answered: the agency answers the comment they reply to.")
    return _("A deleted comment needs no answer.")


def can_answer_draft(user: AnyUser, draft: Draft) -> bool:
    return is_editor_of(user, draft.agency_id)


def get_comment_for_user(user: AnyUser, pk: int) -> Comment:
    """Load a comment: 404 for a comment on a draft the user may not see."""
    try:
        comment = Comment.objects.select_related("draft__agency", "author", "version").get(pk=pk)
    except Comment.DoesNotExist:
        raise Http404(_("No such comment.")) from None
    if not can_read_comments(user, comment.draft):
        raise Http404(_("No such comment."))
    return comment


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)

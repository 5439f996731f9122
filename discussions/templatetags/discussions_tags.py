"""The discussion panel for the draft page.

Use `{% load discussions_tags %}{% discussion_panel draft version %}` (or include
`discussions/_panel.html` with `draft` and `version`).

The query count is bounded whatever the number of comments: comments with authors and answers,
older versions' structures, the viewer's reports and roles, the live sequence number.
"""

from typing import Any

from django import template

from discussions import permissions, selectors
from discussions.forms import CommentForm
from discussions.models import Comment, Report
from drafts.models import Draft, Version

register = template.Library()


def comment_actions(user: Any, comment: Comment, reported: set[int]) -> dict[str, bool]:
    """What this viewer may do with this comment (server-rendered controls)."""
    return {
        "reply": permissions.offers_reply(user, comment),
        "edit": permissions.can_edit_comment(user, comment),
        "delete": permissions.can_delete_comment(user, comment),
        "report": permissions.can_report_comment(user, comment) and comment.pk not in reported,
        "moderate": permissions.can_moderate(user),
        "dispose": permissions.can_dispose(user, comment),
    }


def _last_seq(draft: Draft) -> int:
    from live.selectors import last_seq

    return last_seq(draft)


@register.inclusion_tag("discussions/_panel_body.html", takes_context=True)
def discussion_panel(context: template.Context, draft: Draft, version: Version) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    # The sequence number first: an event committed after it but before the comments are read
    # is both on the page and replayed, and the client applies it once. Read the other way
    # round, such a comment would reach this viewer never.
    last_seq = _last_seq(draft)
    comments = selectors.panel_comments(draft)
    for comment in comments:
        comment.draft = draft  # one shared instance: permission checks make no queries
    # On an older version's page the panel still compares anchors with the latest text.
    latest = selectors.latest_version(draft, version) or version
    selectors.decorate(comments, latest)
    reported: set[int] = set()
    if user.is_authenticated:
        reported = set(
            Report.objects.filter(comment__draft=draft, reporter=user).values_list(
                "comment_id", flat=True
            )
        )
    for comment in comments:
        comment.actions = comment_actions(user, comment, reported)
    threads = selectors.build_threads(comments)
    counts = {
        "comments": sum(1 for c in comments if not c.is_deleted),
        "unanswered": sum(
            1
            for c in threads
            if not c.is_deleted and c.visibility != Comment.Visibility.HIDDEN and c.answer is None
        ),
    }
    initial_wid = request.GET.get("wid", "")
    can_comment = permissions.can_comment(user, draft)
    signed_in = bool(user.is_authenticated and user.is_active)
    # What the viewer could do with a comment that arrives live; discussion.js narrows it per
    # comment (own comments: edit/delete; others': report; depth and top-level limits).
    template_actions = {
        "reply": can_comment,
        "edit": can_comment,
        "delete": signed_in,
        "report": signed_in,
        "moderate": permissions.can_moderate(user),
        "dispose": permissions.can_answer_draft(user, draft),
    }
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "csp_nonce": context.get("csp_nonce", ""),
        "user": user,
        "draft": draft,
        "version": version,
        "latest": latest,
        "threads": threads,
        "counts": counts,
        "last_seq": last_seq,
        "unread": selectors.unread_notification_count(user),
        "can_comment": can_comment,
        "template_comment": {"pk": 0},
        "template_actions": template_actions,
        "can_moderate": permissions.can_moderate(user),
        "can_answer": permissions.can_answer_draft(user, draft),
        "form": CommentForm(
            version=version, initial={"anchor": f"wid:{initial_wid}" if initial_wid else "draft"}
        ),
        "controls": True,
    }

"""The live events the discussion publishes, built in one place.

Kinds: comment.created, comment.edited, comment.deleted, comment.hidden, comment.unhidden,
disposition.set. Every event's `data` is public and user-neutral:

    comment_id, parent_id, author_id, depth, revision, anchor {kind, wid, key},
    disposition {outcome, changed_in_version} or null,
    html {language code: the rendered `<li>` of the comment, without replies or controls},
    counts {comments, unanswered}

A hidden or deleted comment's html is the placeholder only: hidden text never leaves in an event.
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from discussions import selectors
from discussions.models import Comment
from live.services import event_publish


def comment_html(comment: Comment) -> dict[str, str]:
    """The comment's fragment in every site language (viewers pick theirs)."""
    comment.thread_replies = []
    latest = selectors.latest_version(comment.draft)
    if latest is not None:
        selectors.decorate([comment], latest)
    fragments = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            fragments[code] = render_to_string(
                "discussions/_comment.html", {"comment": comment, "controls": False}
            ).strip()
    return fragments


def comment_data(comment: Comment) -> dict[str, Any]:
    return {
        "comment_id": comment.pk,
        "parent_id": comment.parent_id,
        "author_id": comment.author_id,
        "depth": comment.depth,
        "revision": comment.revision,
        "anchor": {
            "kind": comment.anchor_kind,
            "wid": comment.anchor_wid,
            "key": comment.anchor_key,
        },
        "disposition": _disposition(comment),
        "html": comment_html(comment),
        "counts": selectors.draft_counts(comment.draft),
    }


def _disposition(comment: Comment) -> dict[str, Any] | None:
    answer = getattr(comment, "disposition", None)  # a missing one raises an AttributeError
    if answer is None:
        return None
    version = answer.changed_in_version
    return {"outcome": answer.outcome, "changed_in_version": version.number if version else None}


def comment_publish(kind: str, comment: Comment) -> None:
    """Publish a comment event; call inside the writing transaction (live sends after commit)."""
    event_publish(draft=comment.draft, kind=kind, data=comment_data(comment))

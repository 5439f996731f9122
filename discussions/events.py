"""The live events the discussion publishes, built in one place.

Kinds: comment.created, comment.edited, comment.deleted, comment.hidden, comment.unhidden,
disposition.set. Every event's `data` is public and user-neutral:

    comment_id, parent_id, author_id, depth, revision, anchor {kind, wid, key},
    disposition {outcome, changed_in_version} or null,
    html {language code: the rendered `<li>` of the comment, without replies or controls},
    counts {comments, unanswered}

A hidden or deleted comment's html is the placeholder only: hidden text never leaves in an event.
"""

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from discussions import selectors
from discussions.models import Comment
from live.services import event_publish

# A line break with the template's indentation around it: a third of a fragment's bytes, sent
# to every viewer with every event. One space renders the same (comments allow no <pre>).
LAYOUT_WHITESPACE = re.compile(r"\s*\n\s*")


def comment_html(comment: Comment) -> dict[str, str]:
    """The comment's fragment in every site language (viewers pick theirs)."""
    comment.thread_replies = []
    # Only an article's label and state need the latest version's structure.
    latest = None
    if comment.anchor_kind == Comment.Anchor.PROVISION:
        latest = selectors.latest_version(comment.draft)
    if latest is not None:
        selectors.decorate([comment], latest)
    else:
        comment.anchor_label = comment.anchor_href = ""
        comment.anchor_state = None
    fragments = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if latest is not None:  # the article's label in this language ("Статья 3")
                comment.anchor_label = selectors.anchor_label(
                    comment.version.structure, comment.anchor_wid
                )
            html = render_to_string(
                "discussions/_comment.html", {"comment": comment, "controls": False}
            )
            fragments[code] = LAYOUT_WHITESPACE.sub(" ", html).strip()
    return fragments


def comment_data(comment: Comment, *, new: bool = False) -> dict[str, Any]:
    """The event data; `new` for a comment just created (no answer yet: nothing to look up)."""
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
        "disposition": None if new else _disposition(comment),
        "html": comment_html(comment),
    }


def _disposition(comment: Comment) -> dict[str, Any] | None:
    answer = comment.answer
    if answer is None:
        return None
    version = answer.changed_in_version
    return {"outcome": answer.outcome, "changed_in_version": version.number if version else None}


def comment_publish(kind: str, comment: Comment) -> None:
    """Publish a comment event; call inside the writing transaction (live sends after commit).

    The event's data is kept on the comment as `live_data`, so a view answering the writer
    with the same fragment and counts does not render and count a second time.
    """
    event = event_publish(
        draft=comment.draft,
        kind=kind,
        data=comment_data(comment, new=kind == "comment.created"),
        # Counted once this event has its number, so they include every event before it.
        numbered=lambda: {"counts": selectors.draft_counts(comment.draft)},
    )
    comment.live_data = event.data

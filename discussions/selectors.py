"""Reads shared by views, the panel tag, services and other apps."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from discussions.models import Comment, Notification
from drafts.models import Draft, Version
from drafts.textparse import iter_nodes


def answerable(draft: Draft) -> QuerySet[Comment]:
    """Top-level comments the agency must answer: not deleted, not hidden by a moderator."""
    return Comment.objects.filter(draft=draft, parent=None, deleted_at=None).exclude(
        visibility=Comment.Visibility.HIDDEN
    )


def unanswered_count(draft: Draft) -> int:
    """Comments on the draft that the drafting agency has not yet answered."""
    return answerable(draft).filter(disposition=None).count()


def draft_counts(draft: Draft) -> dict[str, int]:
    """The public counts shown on the page and sent with every live event."""
    return Comment.objects.filter(draft=draft).aggregate(
        comments=_count(Q(deleted_at=None)),
        unanswered=_count(
            Q(parent=None, deleted_at=None, disposition=None)
            & ~Q(visibility=Comment.Visibility.HIDDEN)
        ),
    )


def _count(condition: Q) -> Any:
    from django.db.models import Count

    return Count("id", filter=condition)


def unread_notification_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


@dataclass(frozen=True, slots=True)
class AnchorState:
    """Where a comment's article stands in the latest version."""

    status: str  # "same", "changed" or "removed"
    from_number: int
    to_number: int


def _signatures(structure: dict[str, Any]) -> dict[str, str]:
    """wId -> the node's full wording (heading, text and children), to compare across versions."""
    signatures: dict[str, str] = {}

    def visit(node: dict[str, Any]) -> str:
        parts = [node.get("heading", ""), node.get("text", "")]
        parts.extend(visit(child) for child in node.get("children", []))
        signature = "\u241e".join(parts)
        signatures[node["wId"]] = signature
        return signature

    for node in structure.get("body", []):
        visit(node)
    return signatures


def anchor_states(comments: list[Comment], latest: Version) -> dict[int, AnchorState]:
    """For comments anchored to an article written on an older version: changed or removed since.

    One query loads the structures of the older versions involved; each structure is walked once.
    """
    older = {
        c.version_id
        for c in comments
        if c.anchor_kind == Comment.Anchor.PROVISION and c.version_id != latest.pk
    }
    if not older:
        return {}
    rows = Version.objects.filter(pk__in=older).values_list("pk", "number", "structure")
    old = {pk: (number, _signatures(structure)) for pk, number, structure in rows}
    new = _signatures(latest.structure)
    states: dict[int, AnchorState] = {}
    for comment in comments:
        if comment.version_id not in old or comment.anchor_kind != Comment.Anchor.PROVISION:
            continue
        number, signatures = old[comment.version_id]
        wid = comment.anchor_wid
        if wid not in new:
            status = "removed"
        elif signatures.get(wid) != new[wid]:
            status = "changed"
        else:
            status = "same"
        states[comment.pk] = AnchorState(status, number, latest.number)
    return states


def anchor_labels(structure: dict[str, Any]) -> dict[str, str]:
    """wId -> a short label ("Article 3", "Article 3, paragraph 2") for anchors and filters."""
    from django.utils.translation import gettext as _

    labels: dict[str, str] = {}
    for node in iter_nodes(structure):
        if node["type"] == "article":
            label = _("Article %(num)s") % {"num": node["num"]}
            if node.get("heading"):
                label = f"{label}. {node['heading']}"
            labels[node["wId"]] = label
            for child in node.get("children", []):
                if child["type"] == "paragraph" and child.get("num"):
                    labels[child["wId"]] = _("Article %(num)s, paragraph %(p)s") % {
                        "num": node["num"],
                        "p": child["num"],
                    }
    return labels


def build_threads(comments: list[Comment]) -> list[Comment]:
    """Attach each comment's replies as `thread_replies`; return the top-level comments."""
    by_parent: dict[int | None, list[Comment]] = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        comment.thread_replies = by_parent.get(comment.pk, [])
    return by_parent.get(None, [])


def panel_comments(draft: Draft) -> list[Comment]:
    return list(
        Comment.objects.filter(draft=draft)
        .select_related("author", "version", "disposition__changed_in_version")
        .order_by("created_at", "id")
    )

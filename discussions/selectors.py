"""Reads shared by views, the panel tag, services and other apps."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from discussions.models import Comment, Notification
from drafts.models import Draft, Version
from drafts.textparse import iter_nodes
from sovaz.accounts.models import User
from sovaz.audit.models import ActionLog


def answerable(draft: Draft) -> QuerySet[Comment]:
    """Top-level comments the agency must answer: not deleted, not hidden by a moderator."""
    return Comment.objects.filter(draft=draft, parent=None, deleted_at=None).exclude(
        visibility=Comment.Visibility.HIDDEN
    )


def unanswered_count(draft: Draft) -> int:
    """Comments on the draft that the drafting agency has not yet answered."""
    return answerable(draft).filter(disposition=None).count()


def draft_counts(draft: Draft) -> dict[str, int]:
    """The public counts shown on the page and sent with every live event.

    Run inside the live stream's lock with every comment event, so the query is compiled to
    SQL once per process (compiling took 1.2 of its 2 ms) and run with the draft's id.
    """
    sql, params = _counts_sql()
    params = tuple(draft.pk if value == _ANY_DRAFT else value for value in params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    comments, unanswered = row or (0, 0)  # no row: the draft has no comments
    return {"comments": comments, "unanswered": unanswered}


_ANY_DRAFT = -1_000_000_007  # stands for the draft's id in the compiled query: never a pk


@cache
def _counts_sql() -> tuple[str, tuple]:
    query = (
        Comment.objects.filter(draft_id=_ANY_DRAFT)
        .values("draft_id")
        .annotate(
            comments=_count(Q(deleted_at=None)),
            unanswered=_count(
                Q(parent=None, deleted_at=None, disposition=None)
                & ~Q(visibility=Comment.Visibility.HIDDEN)
            ),
        )
        .values_list("comments", "unanswered")
        .order_by()
        .query
    )
    sql, params = query.sql_with_params()
    if params.count(_ANY_DRAFT) != 1:
        raise RuntimeError("the counts query should take the draft's id once")
    return sql, params


def _count(condition: Q) -> Count:
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
    article_eid: str  # where the article is on the diff page (its id there is "d-<eId>")


@dataclass(frozen=True, slots=True)
class NodeInfo:
    signature: str  # the node's full wording: heading, text and children
    eid: str  # its element id on the text page
    article_eid: str  # the eId of the article holding it (the diff page's anchors)


def _index(structure: dict[str, Any]) -> dict[str, NodeInfo]:
    """wId -> NodeInfo for every node, in one walk of the structure."""
    index: dict[str, NodeInfo] = {}

    def visit(node: dict[str, Any], article_eid: str) -> str:
        if node["type"] == "article":
            article_eid = node["eId"]
        parts = [node.get("heading", ""), node.get("text", "")]
        parts.extend(visit(child, article_eid) for child in node.get("children", []))
        signature = "\u241e".join(parts)
        index[node["wId"]] = NodeInfo(signature, node["eId"], article_eid or node["eId"])
        return signature

    for node in structure.get("body", []):
        visit(node, "")
    return index


def latest_version(draft: Draft, version: Version | None = None) -> Version | None:
    """The draft's latest version, reusing `version` when it is the latest (no second load)."""
    latest_pk = draft.versions.order_by("-number").values_list("pk", flat=True).first()
    if version is not None and version.pk == latest_pk:
        return version
    return Version.objects.filter(pk=latest_pk).first()


def decorate(comments: list[Comment], latest: Version) -> None:
    """Set `anchor_label`, `anchor_href` and `anchor_state` on each comment for display.

    `anchor_state` says whether a comment's article, written on an older version, changed or was
    removed in `latest` (None when it is on the latest version or not on an article). One query
    loads the older versions' structures; each structure is walked once per call.
    """
    wanted = {c.version_id for c in comments if c.anchor_kind == Comment.Anchor.PROVISION}
    older = wanted - {latest.pk}
    structures = {latest.pk: (latest.number, latest.structure)}
    if older:
        rows = Version.objects.filter(pk__in=older).values_list("pk", "number", "structure")
        structures.update({pk: (number, structure) for pk, number, structure in rows})
    labels = {pk: anchor_labels(structure) for pk, (_n, structure) in structures.items()}
    indexes = {pk: _index(structure) for pk, (_n, structure) in structures.items()}
    new = indexes[latest.pk]
    for comment in comments:
        comment.anchor_label = ""
        comment.anchor_href = ""
        comment.anchor_state = None
        if comment.anchor_kind != Comment.Anchor.PROVISION:
            continue
        wid = comment.anchor_wid
        old = indexes[comment.version_id].get(wid)
        comment.anchor_label = labels[comment.version_id].get(wid, wid)
        current = new.get(wid)
        if current is not None:
            comment.anchor_href = f"#{current.eid}"
        elif old is not None:
            # Removed since: its place in the version it was written on (the same number may
            # now be another article, once the ones after it moved up).
            number = structures[comment.version_id][0]
            url = reverse("drafts:version", args=[comment.draft_id, number])
            comment.anchor_href = f"{url}#{old.eid}"
        if comment.version_id == latest.pk:
            continue
        if current is None:
            status = "removed"
        elif old is None or old.signature != current.signature:
            status = "changed"
        else:
            status = "same"
        article = (current or old).article_eid if (current or old) else ""
        number = structures[comment.version_id][0]
        comment.anchor_state = AnchorState(status, number, latest.number, article)


def anchor_labels(structure: dict[str, Any]) -> dict[str, str]:
    """wId -> a short label ("Article 3", "Article 3, paragraph 2") for anchors and filters."""
    labels: dict[str, str] = {}
    for node in iter_nodes(structure):
        if node["type"] == "article":
            labels[node["wId"]] = _article_label(node)
            for child in node.get("children", []):
                if child["type"] == "paragraph" and child.get("num"):
                    labels[child["wId"]] = _paragraph_label(node, child)
    return labels


def anchor_label(structure: dict[str, Any], wid: str) -> str:
    """The label `anchor_labels` gives one wId, without labelling the rest of a long act."""
    for node in iter_nodes(structure):
        if node["type"] != "article":
            continue
        if node["wId"] == wid:
            return _article_label(node)
        for child in node.get("children", []):
            if child["wId"] == wid and child["type"] == "paragraph" and child.get("num"):
                return _paragraph_label(node, child)
    return wid


def _article_label(article: dict[str, Any]) -> str:
    label = _("Article %(num)s") % {"num": article["num"]}
    return f"{label}. {article['heading']}" if article.get("heading") else label


def _paragraph_label(article: dict[str, Any], paragraph: dict[str, Any]) -> str:
    return _("Article %(num)s, paragraph %(p)s") % {"num": article["num"], "p": paragraph["num"]}


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


def moderation_queue() -> dict[str, Any]:
    """Comments waiting for review (hidden after reports or with open reports), and hidden ones."""
    base = Comment.objects.select_related("draft", "author", "hidden_by").annotate(
        open_reports=Count("reports", filter=Q(reports__resolved_at=None))
    )
    return {
        "pending": list(
            base.filter(deleted_at=None)
            .filter(Q(visibility=Comment.Visibility.PENDING) | Q(open_reports__gt=0))
            .order_by("hidden_at", "created_at")[:200]
        ),
        "hidden": list(
            base.filter(visibility=Comment.Visibility.HIDDEN).order_by("-hidden_at")[:100]
        ),
        "blocked": blocked_users(),
    }


@dataclass(frozen=True)
class BlockedUser:
    user: User
    since: datetime | None  # when the block now in force was recorded, and why, and by whom
    reason: str
    moderator: User | None


def blocked_users(limit: int = 200) -> list[BlockedUser]:
    """Users blocked from posting, most recently blocked first, each with its block's entry in
    the action log (none for a block set in the admin before blocks were logged)."""
    users = list(User.objects.filter(is_blocked=True).order_by("full_name", "email")[:limit])
    entries = (
        ActionLog.objects.filter(
            code="accounts.user.blocked",
            target_type=ContentType.objects.get_for_model(User),
            target_id__in=[str(u.pk) for u in users],
        )
        .select_related("actor")
        .order_by("target_id", "-created_at")
    )
    latest: dict[str, ActionLog] = {}
    for entry in entries:
        latest.setdefault(entry.target_id, entry)
    rows = []
    for user in users:
        entry = latest.get(str(user.pk))
        rows.append(
            BlockedUser(
                user=user,
                since=entry.created_at if entry else None,
                reason=(entry.data or {}).get("reason", "") if entry else "",
                moderator=entry.actor if entry else None,
            )
        )
    oldest = datetime.min.replace(tzinfo=UTC)
    rows.sort(key=lambda row: row.since or oldest, reverse=True)
    return rows

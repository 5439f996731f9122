"""The disposition table: its rows, filters and safe CSV cells."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Min
from django.utils.translation import gettext as _

from discussions.models import Comment, Disposition
from discussions.selectors import decorate
from drafts.models import Draft, Version


@dataclass
class DispositionRow:
    comment: Comment
    disposition: Disposition | None
    first_answered_at: datetime | None = None  # when a changed answer was first given

    @property
    def text(self) -> str:
        if self.comment.is_deleted:
            return _("[deleted by its author]")
        if self.comment.is_hidden:
            return _("[hidden by a moderator]")
        return self.comment.body

    @property
    def awaits_answer(self) -> bool:
        """Counted among the comments the agency must answer (selectors.answerable): not
        answered, not deleted by its author, not hidden by a moderator."""
        return (
            self.disposition is None
            and not self.comment.is_deleted
            and self.comment.visibility != Comment.Visibility.HIDDEN
        )

    @property
    def status(self) -> str:
        if self.disposition is not None:
            return str(self.disposition.get_outcome_display())
        return _("Not answered") if self.awaits_answer else _("No answer needed")

    @property
    def anchor(self) -> str:
        if self.comment.anchor_kind == Comment.Anchor.PROVISION:
            return self.comment.anchor_label
        return str(self.comment.get_anchor_kind_display())

    def csv_values(self) -> list[Any]:
        d = self.disposition
        return [
            self.comment.pk,
            self.comment.created_at,
            "" if self.comment.is_deleted else self.comment.author.full_name,
            self.comment.author.get_kind_display(),
            self.anchor,
            self.comment.version.number,
            self.text,
            self.status,
            d.reasoning if d else "",
            d.changed_in_version.number if d and d.changed_in_version else "",
            (self.first_answered_at or d.decided_at) if d else None,
            d.decided_at if d and d.is_changed else None,
        ]


def disposition_rows(
    draft: Draft, latest: Version, filters: dict[str, str]
) -> list[DispositionRow]:
    """Top-level comments with their answers, filtered by outcome, article and answered."""
    comments = (
        Comment.objects.filter(draft=draft, parent=None)
        .select_related("author", "version", "disposition__changed_in_version")
        .order_by("created_at", "id")
    )
    outcome = filters.get("outcome") or ""
    if outcome == "none" or filters.get("answered") == "no":
        # The comments that await an answer, as the page's count has them (no deleted or
        # moderator-hidden ones: those need none).
        comments = comments.filter(disposition=None, deleted_at=None).exclude(
            visibility=Comment.Visibility.HIDDEN
        )
    elif outcome:
        comments = comments.filter(disposition__outcome=outcome)
    if filters.get("answered") == "yes":
        comments = comments.exclude(disposition=None)
    if filters.get("article"):
        comments = comments.filter(anchor_wid=filters["article"])
    comments = list(comments)
    for comment in comments:
        comment.draft = draft  # links are built from it; one shared instance, no queries
    decorate(comments, latest)
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    rows = [DispositionRow(c, c.answer) for c in comments]
    changed = {
        row.disposition.pk: row for row in rows if row.disposition and row.disposition.is_changed
    }
    if changed:
        # A changed answer's decided_at is the change; the first answer's time is in history.
        first = (
            Disposition.history.filter(id__in=changed)
            .values("id")
            .annotate(first=Min("decided_at"))
            .values_list("id", "first")
        )
        for pk, first_at in first:
            changed[pk].first_answered_at = first_at
    return rows

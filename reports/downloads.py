"""CSV downloads of a draft's comments, answers and votes, streamed row by row.

Every cell passes through `sovaz.csvsafe.safe_cell`, which defuses spreadsheet formulas.
"""

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from drafts.models import Draft
from sovaz.accounts.permissions import AnyUser


def comment_rows(draft: Draft) -> tuple[list[str], Iterator[list[Any]]]:
    """Published comments (not deleted, not hidden), oldest first, with their answers."""
    from discussions.models import Comment

    header = [_("id"), _("written"), _("author"), _("author kind"), _("organisation"),
              _("comment on"), _("article"), _("assessment item"), _("reply to"), _("version"),
              _("text"), _("outcome"), _("reasoning")]  # fmt: skip
    comments = (
        Comment.objects.filter(draft=draft, deleted_at=None, visibility=Comment.Visibility.VISIBLE)
        .select_related("author", "version", "disposition")
        .order_by("created_at", "id")
    )

    def rows() -> Iterator[list[Any]]:
        for c in comments.iterator(chunk_size=2000):
            disposition = c.answer
            yield [c.pk, c.created_at, c.author.full_name, c.author.get_kind_display(),
                   c.author.organisation, c.get_anchor_kind_display(), c.anchor_wid,
                   c.anchor_key, c.parent_id or "", c.version.number, c.body,
                   disposition.get_outcome_display() if disposition else "",
                   disposition.reasoning if disposition else ""]  # fmt: skip

    return header, rows()


def disposition_rows(draft: Draft) -> tuple[list[str], Iterator[list[Any]]]:
    """Every comment the agency must answer, answered or not."""
    from discussions.selectors import answerable

    header = [_("comment"), _("written"), _("author"), _("author kind"), _("text"), _("outcome"),
              _("reasoning"), _("changed in version"), _("answered by"), _("answered")]  # fmt: skip
    comments = (
        answerable(draft)
        .select_related(
            "author", "disposition", "disposition__decided_by", "disposition__changed_in_version"
        )
        .order_by("created_at", "id")
    )

    def rows() -> Iterator[list[Any]]:
        for c in comments.iterator(chunk_size=2000):
            d = c.answer
            text = c.body if c.is_public else ""
            if d is None:
                yield [c.pk, c.created_at, c.author.full_name, c.author.get_kind_display(), text,
                       _("Unanswered"), "", "", "", ""]  # fmt: skip
                continue
            version = d.changed_in_version.number if d.changed_in_version else ""
            yield [c.pk, c.created_at, c.author.full_name, c.author.get_kind_display(), text,
                   d.get_outcome_display(), d.reasoning, version, d.decided_by.full_name,
                   d.decided_at]  # fmt: skip

    return header, rows()


def vote_rows(draft: Draft, user: AnyUser) -> tuple[list[str], Iterator[list[Any]]]:
    """Votes the user may see the content of (voting.permissions.can_see_receipts)."""
    from voting.models import Vote
    from voting.permissions import can_see_receipts

    # The context keeps these words apart from the same msgids in other apps' catalogs, which
    # would win the merge: in Uzbek both "version" and "revision" came out as "tahrir".
    header = [pgettext("votes.csv", "round"), pgettext("votes.csv", "draft version"),
              pgettext("votes.csv", "agency code"), pgettext("votes.csv", "agency"),
              pgettext("votes.csv", "vote"), pgettext("votes.csv", "remarks"),
              pgettext("votes.csv", "articles"), pgettext("votes.csv", "cast"),
              pgettext("votes.csv", "vote revision"), pgettext("votes.csv", "receipt hash"),
              pgettext("votes.csv", "receipt signature")]  # fmt: skip
    votes = (
        Vote.objects.filter(round__draft=draft)
        .select_related("round", "round__version", "agency")
        .order_by("round__opened_at", "round_id", "agency__name_en")
    )

    def rows() -> Iterator[list[Any]]:
        for v in votes:
            v.round.draft = draft
            if not can_see_receipts(user, v.round, v.agency_id):
                continue
            yield [v.round_id, v.round.version.number, v.agency.code, v.agency.name,
                   v.get_choice_display(), v.remarks, " ".join(v.article_wids), v.cast_at,
                   v.revision, v.receipt_hash, v.receipt_signature]  # fmt: skip

    return header, rows()

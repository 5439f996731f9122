"""Reads for the voting pages and for other apps (e-parliament export, reports)."""

from typing import Any

from django.db.models import QuerySet

from drafts.diffing import DraftDiff, diff_structures
from drafts.models import Draft, Version
from drafts.textparse import find_node, iter_nodes
from sovaz.accounts.permissions import AnyUser, is_official, voter_agency_ids
from voting.ledger import payload_of
from voting.models import LedgerEntry, Round, Vote


def rounds_for_user(user: AnyUser) -> QuerySet[Round]:
    """Officials see every round; everyone else those on public drafts."""
    rounds = Round.objects.select_related("draft", "version")
    if is_official(user):
        return rounds
    return rounds.filter(draft__in=Draft.objects.public())


def rounds_awaiting_vote(user: AnyUser) -> QuerySet[Round]:
    """Open rounds to which one of the user's agencies is invited."""
    return Round.objects.open().filter(invitations__agency__in=voter_agency_ids(user)).distinct()


def _article_title(node: dict[str, Any], language: str) -> str:
    from drafts.templatetags.drafts_tags import node_label

    label, heading = node_label(node, language), node["heading"]
    return f"{label}. {heading}" if label and heading else label or heading


def article_choices(version: Version) -> list[tuple[str, str]]:
    """(wId, title) of every article of the version, for the ballot's checkboxes."""
    language = version.draft.language
    return [
        (node["wId"], _article_title(node, language))
        for node in iter_nodes(version.structure)
        if node["type"] == "article"
    ]


def article_refs(version: Version, wids: list[str]) -> list[dict[str, str]]:
    """The articles a vote points at, with the anchor (eId) of the version's page."""
    refs = []
    for wid in wids:
        node = find_node(version.structure, wid)
        if node is not None:
            refs.append(
                {
                    "wid": wid,
                    "eid": node["eId"],
                    "title": _article_title(node, version.draft.language),
                }
            )
    return refs


def previous_voted_version(voting_round: Round) -> Version | None:
    """The version of the draft's last earlier round, if it differs from this one."""
    earlier = (
        Round.objects.filter(draft_id=voting_round.draft_id, opened_at__lt=voting_round.opened_at)
        .exclude(version_id=voting_round.version_id)
        .select_related("version")
        .order_by("-opened_at")
        .first()
    )
    return earlier.version if earlier else None


def ballot_diff(voting_round: Round) -> tuple[Version | None, DraftDiff | None]:
    """The diff against the previously voted version, or else against the version before it."""
    base = previous_voted_version(voting_round)
    if base is None:
        base = (
            voting_round.draft.versions.filter(number__lt=voting_round.version.number)
            .order_by("-number")
            .first()
        )
    if base is None:
        return None, None
    return base, diff_structures(base.structure, voting_round.version.structure)


def impact_summary(draft: Draft) -> Any:
    # impact builds on drafts and is written beside voting; use its summary if it offers one.
    try:
        from impact.selectors import assessment_summary
    except ImportError:
        return None
    return assessment_summary(draft)


def discussion_summary(draft: Draft) -> dict[str, int] | None:
    try:
        from discussions.selectors import draft_counts
    except ImportError:
        return None
    return draft_counts(draft)


def current_votes(voting_round: Round) -> list[Vote]:
    return list(
        Vote.objects.filter(round=voting_round).select_related("agency").order_by("agency__code")
    )


def round_ledger(voting_round: Round) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(round=voting_round).select_related("agency").order_by("seq")
    )


def published_result(voting_round: Round) -> dict[str, Any]:
    """The public record of a closed round: the tally, every agency's vote with its receipt,
    and the round's ledger entries (each with its hashed payload), for anyone to recount."""
    if voting_round.is_open:
        raise ValueError("a round's votes are published only when it is closed")
    return {
        "round": voting_round.pk,
        "draft": voting_round.draft.number,
        "version": voting_round.version.number,
        "text_hash": voting_round.text_hash,
        "rule": voting_round.rule,
        "eligible": voting_round.eligible_count,
        "closed_at": voting_round.closed_at.isoformat(),
        "close_reason": voting_round.close_reason,
        "result": {
            "turnout": voting_round.turnout,
            "quorum_met": voting_round.quorum_met,
            "approve": voting_round.approve_count,
            "approve_remarks": voting_round.approve_remarks_count,
            "object": voting_round.object_count,
            "abstain": voting_round.abstain_count,
            "outcome": voting_round.outcome,
        },
        "result_hash": voting_round.result_hash,
        "votes": [
            {
                "agency": vote.agency.code,
                "agency_name": vote.agency.name,
                "choice": vote.choice,
                "choice_label": str(vote.get_choice_display()),
                "remarks": vote.remarks,
                "articles": vote.article_wids,
                "article_refs": article_refs(voting_round.version, vote.article_wids),
                "revision": vote.revision,
                "receipt_hash": vote.receipt_hash,
                "receipt_signature": vote.receipt_signature,
            }
            for vote in current_votes(voting_round)
        ],
        "ledger": [
            {**payload_of(entry), "entry_hash": entry.entry_hash}
            for entry in round_ledger(voting_round)
        ],
    }


def receipt_document(entry: LedgerEntry, vote: Vote) -> dict[str, Any]:
    """A voter's receipt: the hashed ledger payload, its hash and the server's signature.

    To verify: SHA-256 of the canonical JSON of `entry` equals `entry_hash`, and `signature` is a
    valid Ed25519 signature of the UTF-8 bytes of `entry_hash` under the published public key.
    """
    return {
        "entry": payload_of(entry),
        "entry_hash": entry.entry_hash,
        "signature": vote.receipt_signature if vote.receipt_hash == entry.entry_hash else "",
        "algorithm": "Ed25519 over entry_hash; SHA-256 over canonical JSON of entry",
    }


def latest_round(draft: Draft) -> Round | None:
    """The draft's most recent round (open or closed), for a link from the draft page."""
    return Round.objects.filter(draft=draft).order_by("-opened_at", "-id").first()

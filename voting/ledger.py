"""The hash chain: canonical JSON, entry hashes and verification. Appending is in services.py.

entry_hash = SHA-256(canonical JSON of {seq, prev_hash, kind, round, agency, at, **data}), where
canonical JSON is `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)` in
UTF-8, `round` is the round id, `agency` the agency code (or null) and `at` the UTC time in ISO
8601 with microseconds. Anyone holding the published entries can recompute every hash.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_payload(
    *,
    seq: int,
    prev_hash: str,
    kind: str,
    round_id: int,
    agency: str | None,
    at: datetime,
    data: dict[str, Any],
) -> dict[str, Any]:
    reserved = {"seq", "prev_hash", "kind", "round", "agency", "at"}
    if reserved & set(data):
        raise ValueError(f"data may not set {sorted(reserved & set(data))}")
    return {
        **data,
        "seq": seq,
        "prev_hash": prev_hash,
        "kind": kind,
        "round": round_id,
        "agency": agency,
        "at": iso_utc(at),
    }


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def payload_of(entry) -> dict[str, Any]:
    """The hashed payload of a stored LedgerEntry (select_related("agency") to avoid queries)."""
    return entry_payload(
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        kind=entry.kind,
        round_id=entry.round_id,
        agency=entry.agency.code if entry.agency_id else None,
        at=entry.at,
        data=entry.data,
    )


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # "altered", "removed" or "reordered"
    detail: str


def verify_chain(entries: Iterable, *, head_seq: int | None = None) -> Problem | None:
    """The first problem in `entries` (ordered by seq), or None when the chain is intact.

    `removed`: a sequence number is missing, or an entry points at a hash no entry has.
    `reordered`: an entry points at an existing entry that is not its predecessor.
    `altered`: an entry's content no longer matches its hash (or its successor's link).
    """
    entries = list(entries)
    known = {e.entry_hash for e in entries}
    expected_prev = GENESIS
    for position, entry in enumerate(entries, start=1):
        self_ok = payload_hash(payload_of(entry)) == entry.entry_hash
        if entry.seq > position:
            return Problem(position, "removed", f"entry #{position} is missing")
        if entry.prev_hash != expected_prev:
            if entry.prev_hash in known or entry.prev_hash == GENESIS:
                return Problem(
                    position, "reordered", f"entry #{position} does not follow #{position - 1}"
                )
            if self_ok and entry.seq == position and position > 1:
                return Problem(position - 1, "altered", f"entry #{position - 1} was rewritten")
            return Problem(position, "removed", f"the entry before #{position} is missing")
        if not self_ok:
            return Problem(position, "altered", f"entry #{position} does not match its hash")
        expected_prev = entry.entry_hash
    if head_seq is not None and head_seq > len(entries):
        missing = len(entries) + 1
        return Problem(missing, "removed", f"entry #{missing} is missing (the chain is short)")
    return None


@dataclass(frozen=True)
class Report:
    entries: int
    problem: Problem | None


def verify_ledger() -> Report:
    """Verify the whole chain, then that current votes and closed rounds match their entries."""
    from voting.models import LedgerEntry, LedgerHead, Round, Vote

    entries = list(LedgerEntry.objects.select_related("agency").order_by("seq"))
    head = LedgerHead.objects.filter(pk=1).first()
    problem = verify_chain(entries, head_seq=head.seq if head else None)
    if problem is None:
        problem = _check_records(entries, Vote.objects.all(), Round.objects.filter(status="closed"))
    return Report(len(entries), problem)


def _check_records(entries: list, votes: Iterable, rounds: Iterable) -> Problem | None:
    by_hash = {e.entry_hash: e for e in entries}
    for vote in votes:
        entry = by_hash.get(vote.receipt_hash)
        if entry is None:
            return Problem(0, "removed", f"the entry of the vote {vote.pk} is missing")
        recorded = (
            entry.round_id,
            entry.agency_id,
            entry.data.get("choice"),
            entry.data.get("remarks"),
            entry.data.get("revision"),
        )
        if recorded != (vote.round_id, vote.agency_id, vote.choice, vote.remarks, vote.revision):
            return Problem(entry.seq, "altered", f"vote {vote.pk} differs from its entry")
    for voting_round in rounds:
        entry = by_hash.get(voting_round.result_hash)
        if entry is None:
            return Problem(0, "removed", f"the close entry of round {voting_round.pk} is missing")
        data = entry.data
        recorded = (
            data.get("outcome"),
            data.get("turnout"),
            data.get("quorum_met"),
            data.get("counts"),
        )
        actual = (
            voting_round.outcome,
            voting_round.turnout,
            voting_round.quorum_met,
            {
                "approve": voting_round.approve_count,
                "approve_remarks": voting_round.approve_remarks_count,
                "object": voting_round.object_count,
                "abstain": voting_round.abstain_count,
            },
        )
        if entry.round_id != voting_round.pk or recorded != actual:
            return Problem(entry.seq, "altered", f"round {voting_round.pk} differs from its result")
    return None

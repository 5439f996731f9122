"""Every write to voting rounds, votes and the ledger. Views, commands and the demo call these.

Locking order, the same everywhere so two writers never deadlock: the draft (opening only), the
round row, then the ledger head. The round lock serialises votes and the close of one round, so a
close counts exactly the votes committed before it and a vote after it is refused.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from drafts import reasons
from drafts.models import Draft, Version
from drafts.services import draft_transition
from drafts.textparse import find_node
from sovaz.accounts.models import Agency, User
from sovaz.accounts.permissions import is_secretariat
from sovaz.audit.services import action_log
from voting import permissions, signing
from voting.events import round_state_publish
from voting.ledger import GENESIS, entry_payload, iso_utc, payload_hash
from voting.models import (
    Choice,
    LedgerEntry,
    LedgerHead,
    Round,
    RoundInvitation,
    Vote,
    VoteChange,
)
from voting.rules import RULES, Counts

logger = logging.getLogger(__name__)

TASHKENT = ZoneInfo("Asia/Tashkent")
MAX_REMARKS = 5000
MAX_ARTICLES = 50
MIN_ROUND_LENGTH = timedelta(hours=1)

# Where the draft goes when a round closes. Without a quorum no decision was taken, so the
# draft returns to discussion and the secretariat may open a new round.
DRAFT_STATUS_AFTER = {
    Round.Outcome.APPROVED: Draft.Status.APPROVED,
    Round.Outcome.REJECTED: Draft.Status.REJECTED,
    Round.Outcome.NO_QUORUM: Draft.Status.DISCUSSION,
}


def tashkent_time(at: datetime) -> str:
    local = at.astimezone(TASHKENT)
    return _("%(time)s on %(date)s") % {
        "time": local.strftime("%H:%M"),
        "date": formats.date_format(local, "j E"),
    }


def _closed_message(voting_round: Round) -> ValidationError:
    at = voting_round.closed_at or voting_round.deadline
    return ValidationError(
        _("Voting in this round closed at %(when)s (Tashkent time).")
        % {"when": tashkent_time(min(at, voting_round.deadline))},
        code="round_closed",
    )


def _lock_round(voting_round: Round | int) -> Round:
    """The round under a row lock, with `past_deadline` computed by the database's clock."""
    pk = voting_round if isinstance(voting_round, int) else voting_round.pk
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("draft", "version")
        .annotate(
            past_deadline=ExpressionWrapper(Q(deadline__lte=Now()), output_field=BooleanField())
        )
        .get(pk=pk)
    )


def _ledger_append(
    *, kind: str, voting_round: Round, agency: Agency | None, at: datetime, data: dict[str, Any]
) -> LedgerEntry:
    """Append one entry under the lock on the chain head (one global sequence)."""
    LedgerHead.objects.get_or_create(pk=1)
    head = LedgerHead.objects.select_for_update().get(pk=1)
    seq, prev_hash = head.seq + 1, head.last_hash or GENESIS
    payload = entry_payload(
        seq=seq,
        prev_hash=prev_hash,
        kind=kind,
        round_id=voting_round.pk,
        agency=agency.code if agency else None,
        at=at,
        data=data,
    )
    entry = LedgerEntry.objects.create(
        seq=seq,
        prev_hash=prev_hash,
        entry_hash=payload_hash(payload),
        kind=kind,
        round=voting_round,
        agency=agency,
        at=at,
        data=data,
    )
    LedgerHead.objects.filter(pk=1).update(seq=seq, last_hash=entry.entry_hash)
    return entry


def _discussion_exit_check(draft: Draft, actor: User, override_reason: str) -> None:
    # discussions builds on drafts; imported here so voting works while it is being written.
    try:
        from discussions.services import discussion_exit_check
    except ImportError:
        logger.warning("discussions.services.discussion_exit_check is missing; not checked")
        return
    discussion_exit_check(draft=draft, actor=actor, override_reason=override_reason)


def discussion_running_message(draft: Draft, now: datetime | None = None) -> str:
    """Why a round cannot open yet, or "" once the announced public discussion has ended.

    A government consultation is never cut short, so unlike unanswered comments this has no
    override.
    """
    now = now or timezone.now()
    if draft.discussion_ends_at is None or draft.discussion_ends_at <= now:
        return ""
    return _(
        "The public discussion runs until %(date)s inclusive (Tashkent time); a voting round "
        "opens only after it ends."
    ) % {"date": formats.date_format(draft.discussion_last_day, "j E Y")}


def _clean_agencies(draft: Draft, agencies: Iterable[Agency]) -> list[Agency]:
    unique = {agency.pk: agency for agency in agencies}
    if not unique:
        raise ValidationError(_("Invite at least one agency."), code="no_agencies")
    if draft.agency_id in unique:
        raise ValidationError(
            _("The developing agency does not vote on its own draft."), code="own_draft"
        )
    if any(not agency.is_active for agency in unique.values()):
        raise ValidationError(_("Only active agencies may be invited."), code="inactive_agency")
    return sorted(unique.values(), key=lambda a: a.code)


def round_open(
    *,
    draft: Draft,
    actor: User,
    agencies: Iterable[Agency],
    deadline: datetime,
    rule: str,
    version: Version | None = None,
    override_reason: str = "",
) -> Round:
    """Open a round on `version` (default: the latest) of a draft in discussion.

    Refused ("discussion_running") before the announced end of the public discussion, with no
    override; refused with unanswered comments unless the secretariat gives `override_reason`.

    Freezes the version's hash and the invited agencies, appends an `open` ledger entry and moves
    the draft to voting. Only the secretariat may.
    """
    if not is_secretariat(actor):
        raise PermissionDenied(_("Only the secretariat opens voting rounds."))
    if rule not in RULES:
        raise ValidationError(_("Choose one of the named rules."), code="unknown_rule")
    if timezone.is_naive(deadline):
        raise ValueError("deadline must be aware")
    if deadline < timezone.now() + MIN_ROUND_LENGTH:
        raise ValidationError(
            _("The deadline must be at least an hour from now."), code="deadline_too_soon"
        )
    invited = _clean_agencies(draft, agencies)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        if not permissions.can_open_round(actor, draft):
            raise ValidationError(
                _("A round opens only on a draft in public discussion."), code="bad_status"
            )
        running = discussion_running_message(draft)
        if running:
            raise ValidationError(running, code="discussion_running")
        version = version or draft.versions.order_by("-number").first()
        if version is None or version.draft_id != draft.pk:
            raise ValidationError(_("Choose a version of this draft."), code="bad_version")
        _discussion_exit_check(draft, actor, override_reason)
        voting_round = Round.objects.create(
            draft=draft,
            version=version,
            text_hash=version.text_hash,
            rule=rule,
            eligible_count=len(invited),
            opened_by=actor,
            deadline=deadline,
        )
        RoundInvitation.objects.bulk_create(
            RoundInvitation(round=voting_round, agency=agency) for agency in invited
        )
        _ledger_append(
            kind=LedgerEntry.Kind.OPEN,
            voting_round=voting_round,
            agency=None,
            at=voting_round.opened_at,
            data={
                "draft": draft.number,
                "version": version.number,
                "text_hash": version.text_hash,
                "rule": rule,
                "deadline": iso_utc(deadline),
                "invited": [agency.code for agency in invited],
            },
        )
        draft_transition(
            draft=draft,
            to=Draft.Status.VOTING,
            actor=actor,
            reason=reasons.stored(reasons.VOTING_OPENED),
            round=voting_round.pk,
        )
        action_log(
            actor=actor,
            code="voting.round.opened",
            target=voting_round,
            data={
                "draft": draft.number,
                "version": version.number,
                "text_hash": version.text_hash,
                "rule": rule,
                "deadline": iso_utc(deadline),
                "invited": [agency.code for agency in invited],
                "override_reason": override_reason,
            },
        )
    return voting_round


def _clean_vote(
    voting_round: Round, choice: str, remarks: str, article_wids: Iterable[str]
) -> tuple[str, list[str]]:
    if choice not in Choice.values:
        raise ValidationError(_("Choose how the agency votes."), code="bad_choice")
    remarks = remarks.strip()
    if "\x00" in remarks:
        raise ValidationError(_("The remarks contain a null character."), code="null_character")
    if len(remarks) > MAX_REMARKS:
        raise ValidationError(
            _("The remarks are limited to %(max)s characters; these have %(count)s.")
            % {"max": MAX_REMARKS, "count": len(remarks)},
            code="remarks_too_long",
        )
    if choice != Choice.APPROVE and not remarks:
        raise ValidationError(
            _("Give the agency's remarks: they are required for every choice but approval."),
            code="remarks_required",
        )
    wids = list(dict.fromkeys(w.strip() for w in article_wids if w.strip()))
    if len(wids) > MAX_ARTICLES:
        raise ValidationError(_("Point at fewer articles."), code="too_many_articles")
    structure = voting_round.version.structure
    unknown = [w for w in wids if find_node(structure, w) is None]
    if unknown:
        raise ValidationError(
            _("The version voted on has no article %(wid)s.") % {"wid": unknown[0][:80]},
            code="unknown_article",
        )
    return remarks, wids


def vote_cast(
    *,
    voting_round: Round,
    agency: Agency,
    actor: User,
    choice: str,
    remarks: str = "",
    article_wids: Iterable[str] = (),
) -> Vote:
    """Cast or change `agency`'s vote, under the round lock; returns the current vote.

    Refused (ValidationError "round_closed") once the round is closed or its deadline passed by
    the database's clock. Every cast is appended to the ledger and kept as a VoteChange; the
    vote's receipt is the entry hash signed with the server key.
    """
    with transaction.atomic():
        locked = _lock_round(voting_round)
        if not permissions.is_invited_voter(actor, locked, agency):
            raise PermissionDenied(_("Only a voter of an invited agency votes for it."))
        if not locked.is_open or locked.past_deadline:
            raise _closed_message(locked)
        remarks, wids = _clean_vote(locked, choice, remarks, article_wids)
        current = Vote.objects.filter(round=locked, agency=agency).first()
        revision = current.revision + 1 if current else 1
        at = timezone.now()
        entry = _ledger_append(
            kind=LedgerEntry.Kind.VOTE,
            voting_round=locked,
            agency=agency,
            at=at,
            data={
                "choice": choice,
                "remarks": remarks,
                "articles": wids,
                "revision": revision,
                "text_hash": locked.text_hash,
                "voter": actor.pk,
            },
        )
        fields = {
            "choice": choice,
            "remarks": remarks,
            "article_wids": wids,
            "cast_by": actor,
            "cast_at": at,
            "revision": revision,
            "receipt_hash": entry.entry_hash,
            "receipt_signature": signing.sign(entry.entry_hash),
        }
        VoteChange.objects.create(round=locked, agency=agency, **fields)
        vote, _created = Vote.objects.update_or_create(round=locked, agency=agency, defaults=fields)
        action_log(
            actor=actor,
            code="voting.vote.cast",
            target=locked,
            data={"agency": agency.code, "revision": revision, "receipt": entry.entry_hash},
        )
        round_state_publish(locked.pk)
    return vote


def round_close(*, voting_round: Round | int, actor: User | None) -> Round:
    """Close a round and compute its result, once, under the round lock.

    `actor=None` is the system closing at the deadline (refused before it). The secretariat may
    close early once every invited agency has voted. The draft moves to approved, rejected or
    (no quorum) back to discussion.
    """
    with transaction.atomic():
        locked = _lock_round(voting_round)
        if not locked.is_open:
            raise ValidationError(_("This round is already closed."), code="already_closed")
        # Lock the draft before the ledger head, as round_open does, so the two never deadlock.
        Draft.objects.select_for_update().get(pk=locked.draft_id)
        votes = list(Vote.objects.filter(round=locked).select_related("agency"))
        if actor is None:
            if not locked.past_deadline:
                raise ValidationError(_("The deadline has not passed yet."), code="not_due")
            reason = Round.CloseReason.DEADLINE
        else:
            if not permissions.can_close_round(actor, locked):
                raise PermissionDenied(_("Only the secretariat closes voting rounds."))
            if locked.past_deadline:
                reason = Round.CloseReason.DEADLINE
            elif len(votes) < locked.eligible_count:
                raise ValidationError(
                    _(
                        "%(missing)s of %(eligible)s agencies have not voted yet; the round "
                        "closes early only when every agency has voted."
                    )
                    % {
                        "missing": locked.eligible_count - len(votes),
                        "eligible": locked.eligible_count,
                    },
                    code="votes_missing",
                )
            else:
                reason = Round.CloseReason.EARLY
        _record_result(locked, votes, actor, reason)
        draft_transition(
            draft=locked.draft,
            to=DRAFT_STATUS_AFTER[locked.outcome],
            actor=actor,
            reason=reasons.stored(
                reasons.VOTING_CLOSED, outcome=Round.Outcome(locked.outcome).label
            ),
            round=locked.pk,
        )
        _export_to_parliament(locked)
        action_log(
            actor=actor,
            code="voting.round.closed",
            target=locked,
            data={
                "outcome": locked.outcome,
                "turnout": locked.turnout,
                "reason": reason,
                "result_hash": locked.result_hash,
            },
        )
        round_state_publish(locked.pk)
    return locked


def _record_result(locked: Round, votes: list[Vote], actor: User | None, reason: str) -> None:
    by_choice = {value: 0 for value in Choice.values}
    for vote in votes:
        by_choice[vote.choice] += 1
    counts = Counts(
        eligible=locked.eligible_count,
        approve=by_choice[Choice.APPROVE],
        approve_remarks=by_choice[Choice.APPROVE_REMARKS],
        object=by_choice[Choice.OBJECT],
        abstain=by_choice[Choice.ABSTAIN],
    )
    rule = RULES[locked.rule]
    at = timezone.now()
    result = {
        "rule": locked.rule,
        "text_hash": locked.text_hash,
        "eligible": counts.eligible,
        "turnout": counts.voted,
        "quorum_met": rule.quorum_met(counts),
        "counts": by_choice,
        "outcome": rule.outcome(counts),
        "close_reason": reason,
        "votes": sorted([vote.agency.code, vote.receipt_hash] for vote in votes),
    }
    entry = _ledger_append(
        kind=LedgerEntry.Kind.CLOSE, voting_round=locked, agency=None, at=at, data=result
    )
    locked.status = Round.Status.CLOSED
    locked.closed_at = at
    locked.closed_by = actor
    locked.close_reason = reason
    locked.turnout = counts.voted
    locked.quorum_met = result["quorum_met"]
    locked.approve_count = counts.approve
    locked.approve_remarks_count = counts.approve_remarks
    locked.object_count = counts.object
    locked.abstain_count = counts.abstain
    locked.outcome = result["outcome"]
    locked.result_hash = entry.entry_hash
    locked.save()


def _export_to_parliament(locked: Round) -> None:
    # eparliament builds on voting; its outbox row is written in this transaction, so a close
    # that rolls back exports nothing. It logs and alerts on its own failures. Imported here
    # because eparliament reads voting's models.
    from eparliament.services import export_round_closed

    export_round_closed(round=locked)


def round_close_if_overdue(*, voting_round: Round) -> Round:
    """The check on access: an open round past its deadline is closed before it is shown."""
    if voting_round.is_open and voting_round.is_past_deadline():
        try:
            return round_close(voting_round=voting_round, actor=None)
        except ValidationError as exc:
            # Closed meanwhile by another request, or the database clock is a little behind.
            if exc.code not in ("already_closed", "not_due"):
                raise
        voting_round.refresh_from_db()
    return voting_round


def rounds_close_overdue() -> list[Round]:
    """Close every open round past its deadline (close_rounds runs this every ~15 s)."""
    closed = []
    for pk in Round.objects.overdue().values_list("pk", flat=True):
        try:
            closed.append(round_close(voting_round=pk, actor=None))
        except ValidationError as exc:
            if exc.code not in ("already_closed", "not_due"):
                raise
    return closed

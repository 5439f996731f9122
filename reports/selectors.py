"""The reads behind a draft's report and the legislators' dashboard.

Every count is aggregated in the database (values().annotate(Count)); nothing here loops over
a draft's comments in Python, so the report of a draft with 10,000 comments costs the same
number of queries as one with ten. A section with nothing to show yet comes back empty, and
the template says "no data yet".
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, DateField, F, Func, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafts.diffing import diff_structures
from drafts.models import Draft, Version
from drafts.textparse import iter_nodes
from reports.permissions import can_see_delivery_details
from sovaz.accounts.models import User
from sovaz.accounts.permissions import (
    AnyUser,
    editor_agency_ids,
    is_legislator,
    is_moderator,
    is_secretariat,
    voter_agency_ids,
)
from sovaz.audit.models import ActionLog

UNANSWERED_SHOWN = 100  # the report lists this many unanswered comments, then counts the rest
HEAT_LEVELS = 5


# --- Timeline -------------------------------------------------------------------------------

TIMELINE_CODES = {
    "drafts.draft.created": gettext_lazy("Draft created"),
    "drafts.version.published": gettext_lazy("Version published"),
    "drafts.draft.status_changed": gettext_lazy("Status changed"),
    "impact.assessment.revised": gettext_lazy("Impact assessment revised"),
    "voting.round.opened": gettext_lazy("Voting round opened"),
    "voting.round.closed": gettext_lazy("Voting round closed"),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    code: str
    label: str
    actor: str
    detail: str


def _timeline_detail(entry: ActionLog) -> str:
    data = entry.data or {}
    if entry.code == "drafts.draft.status_changed":
        statuses = dict(Draft.Status.choices)
        old, new = data.get("from", ""), data.get("to", "")
        return f"{statuses.get(old, old)} → {statuses.get(new, new)}"
    if entry.code == "drafts.version.published":
        return _("version %(n)s") % {"n": data.get("version", "?")}
    if entry.code == "impact.assessment.revised":
        return _("revision %(n)s") % {"n": data.get("revision", "?")}
    if entry.code == "voting.round.closed":
        from voting.models import Round

        outcome = data.get("outcome", "")
        return str(dict(Round.Outcome.choices).get(outcome, outcome))
    if entry.code == "voting.round.opened":
        return _("on version %(n)s") % {"n": data.get("version", "?")}
    return ""


def timeline(draft: Draft, round_ids: list[int]) -> list[TimelineEntry]:
    """The draft's life from the action log: its own entries and its voting rounds' (2 queries)."""
    draft_type = ContentType.objects.get_for_model(Draft)
    condition = Q(target_type=draft_type, target_id=str(draft.pk))
    if round_ids:
        from voting.models import Round

        round_type = ContentType.objects.get_for_model(Round)
        condition |= Q(target_type=round_type, target_id__in=[str(pk) for pk in round_ids])
    entries = (
        ActionLog.objects.filter(condition, code__in=TIMELINE_CODES)
        .select_related("actor")
        .order_by("created_at", "id")[:500]
    )
    return [
        TimelineEntry(
            at=entry.created_at,
            code=entry.code,
            label=str(TIMELINE_CODES[entry.code]),
            actor=str(entry.actor) if entry.actor else _("the system"),
            detail=_timeline_detail(entry),
        )
        for entry in entries
    ]


# --- Versions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: Version
    counts: dict[str, int] | None  # article counts by status against the previous version


def versions_with_changes(draft: Draft) -> list[VersionRow]:
    versions = list(draft.versions.select_related("author").order_by("number"))
    rows = []
    previous = None
    for version in versions:
        counts = None
        if previous is not None:
            counts = diff_structures(previous.structure, version.structure).counts
        rows.append(VersionRow(version, counts))
        previous = version
    return rows


# --- Comments -------------------------------------------------------------------------------


@dataclass
class CommentStats:
    total: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    per_day: list[tuple[date, int]] = field(default_factory=list)
    by_anchor: dict[str, int] = field(default_factory=dict)  # draft / provision / assessment
    heat: list[dict[str, Any]] = field(default_factory=list)  # one row per article


def _article_of(structure: dict[str, Any]) -> dict[str, str]:
    """wId of every article and paragraph -> wId of its article."""
    owner: dict[str, str] = {}
    for node in iter_nodes(structure):
        if node["type"] == "article":
            owner[node["wId"]] = node["wId"]
            for child in node.get("children", []):
                owner[child["wId"]] = node["wId"]
    return owner


def _local_day(field_name: str) -> Func | TruncDate:
    """The local calendar day of a datetime column, computed by the database.

    On SQLite, TruncDate calls back into Python for every row (about 30 ms per 1,000 comments);
    SQLite's own date() with the zone's current UTC offset is native. Tashkent keeps one offset
    all year; a zone with daylight saving would misplace comments within an hour of midnight
    on the days the offset differs from today's.
    """
    zone = timezone.get_current_timezone()
    if connection.vendor != "sqlite":
        return TruncDate(field_name, tzinfo=zone)
    offset = timezone.now().astimezone(zone).utcoffset() or timedelta(0)
    seconds = int(offset.total_seconds())
    return Func(
        F(field_name), Value(f"{seconds:+d} seconds"), function="date", output_field=DateField()
    )


def _heat_level(count: int, peak: int) -> int:
    if count == 0 or peak == 0:
        return 0
    return max(1, min(HEAT_LEVELS, -(-count * HEAT_LEVELS // peak)))


def comment_stats(draft: Draft, latest: Version | None) -> CommentStats:
    """Totals by commenter kind, per day and per article of the latest text (3 queries)."""
    from discussions.models import Comment

    comments = Comment.objects.filter(draft=draft, deleted_at=None)
    kinds = dict(User.Kind.choices)
    by_kind: dict[str, int] = {}
    by_anchor: dict[str, int] = {}
    # One pass for both breakdowns: (commenter kind, anchor kind) -> count.
    for kind, anchor, n in (
        comments.values_list("author__kind", "anchor_kind").annotate(n=Count("id")).order_by()
    ):
        by_kind[kind] = by_kind.get(kind, 0) + n
        by_anchor[anchor] = by_anchor.get(anchor, 0) + n
    per_day = list(
        comments.annotate(day=_local_day("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    # Comments per (article or paragraph, commenter kind), summed up to articles below.
    by_wid_kind = list(
        comments.filter(anchor_kind=Comment.Anchor.PROVISION)
        .values_list("anchor_wid", "author__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    stats = CommentStats(
        total=sum(by_kind.values()),
        by_kind=[(str(label), by_kind.get(kind, 0)) for kind, label in kinds.items()],
        per_day=per_day,
        by_anchor=by_anchor,
    )
    if latest is not None:
        stats.heat = _heat(latest.structure, by_wid_kind)
    return stats


def _heat(structure: dict[str, Any], by_wid_kind: list[tuple[str, str, int]]) -> list[dict]:
    """One row per article of `structure`: its comment count, by kind, and a level 0-5."""
    owner = _article_of(structure)
    per_article: dict[str, int] = {}
    kinds: dict[str, dict[str, int]] = {}
    for wid, kind, count in by_wid_kind:
        # Comments on articles no longer in the text are counted in the totals, not here.
        if wid in owner:
            article = owner[wid]
            per_article[article] = per_article.get(article, 0) + count
            kinds.setdefault(article, {})
            kinds[article][kind] = kinds[article].get(kind, 0) + count
    peak = max(per_article.values(), default=0)
    labels = dict(User.Kind.choices)
    return [
        {
            "wid": node["wId"],
            "num": node["num"],
            "heading": node.get("heading", ""),
            "excerpt": " ".join(child.get("text", "") for child in node.get("children", []))[:240],
            "count": per_article.get(node["wId"], 0),
            "by_kind": [
                (str(label), kinds[node["wId"]][kind])
                for kind, label in labels.items()
                if kinds.get(node["wId"], {}).get(kind)
            ],
            "level": _heat_level(per_article.get(node["wId"], 0), peak),
        }
        for node in iter_nodes(structure)
        if node["type"] == "article"
    ]


# --- Dispositions ---------------------------------------------------------------------------


@dataclass
class DispositionStats:
    answerable: int = 0
    by_outcome: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, n)
    unanswered: list[Any] = field(default_factory=list)
    unanswered_count: int = 0


def disposition_stats(draft: Draft) -> DispositionStats:
    """Answers per outcome and the first unanswered comments (2 queries)."""
    from discussions.models import Disposition
    from discussions.selectors import answerable

    # Answerable comments by their answer's outcome, in one query; None means unanswered.
    counts = dict(
        answerable(draft).values_list("disposition__outcome").annotate(n=Count("id")).order_by()
    )
    pending = answerable(draft).filter(disposition=None).select_related("author")
    return DispositionStats(
        answerable=sum(counts.values()),
        by_outcome=[
            (value, str(label), counts.get(value, 0))
            for value, label in Disposition.Outcome.choices
        ],
        unanswered=list(pending.order_by("created_at", "id")[:UNANSWERED_SHOWN]),
        unanswered_count=counts.get(None, 0),
    )


# --- Votes and the ledger -------------------------------------------------------------------


@dataclass
class RoundRecord:
    round: Any
    votes: list[Any]
    missing: list[Any]  # invited agencies without a vote


@dataclass
class VotingRecord:
    rounds: list[RoundRecord] = field(default_factory=list)
    ledger_entries: int = 0
    ledger_problem: Any = None
    verified: bool = False


def voting_record(draft: Draft, user: AnyUser, *, verify: bool = True) -> VotingRecord:
    """Rounds with votes per agency and receipts, and the ledger's verification (about 6 queries).

    How an agency voted is shown only when voting.permissions.can_see_receipts allows it: once
    the round is closed, or to the agency's voters and the secretariat while it is open.
    """
    from voting.ledger import verify_ledger
    from voting.models import Round, RoundInvitation, Vote
    from voting.permissions import can_see_receipts

    rounds = list(
        Round.objects.filter(draft=draft).select_related("version").order_by("opened_at", "id")
    )
    round_ids = [r.pk for r in rounds]
    votes: dict[int, list[Any]] = {pk: [] for pk in round_ids}
    for vote in (
        Vote.objects.filter(round_id__in=round_ids)
        .select_related("agency", "cast_by")
        .order_by("agency__name_en")
    ):
        votes[vote.round_id].append(vote)
    invited: dict[int, list[Any]] = {pk: [] for pk in round_ids}
    for invitation in RoundInvitation.objects.filter(round_id__in=round_ids).select_related(
        "agency"
    ):
        invited[invitation.round_id].append(invitation.agency)
    record = VotingRecord()
    for voting_round in rounds:
        voting_round.draft = draft
        for vote in votes[voting_round.pk]:
            vote.visible = can_see_receipts(user, voting_round, vote.agency_id)
        voted = {vote.agency_id for vote in votes[voting_round.pk]}
        record.rounds.append(
            RoundRecord(
                round=voting_round,
                votes=votes[voting_round.pk],
                missing=sorted(
                    (a for a in invited[voting_round.pk] if a.pk not in voted),
                    key=lambda a: a.name_en,
                ),
            )
        )
    if verify and rounds:
        report = verify_ledger()
        record.ledger_entries = report.entries
        record.ledger_problem = report.problem
        record.verified = report.problem is None
    return record


# --- E-parliament ---------------------------------------------------------------------------

AKN_DOCUMENTS = {
    "bill": gettext_lazy("Text of the draft (Akoma Ntoso XML)"),
    "votingResult": gettext_lazy("Voting result (Akoma Ntoso XML)"),
    "dispositionTable": gettext_lazy("Answers to comments (Akoma Ntoso XML)"),
    "impactAssessment": gettext_lazy("Impact assessment (Akoma Ntoso XML)"),
}


# What the report reads of a delivery: its endpoint's name and state, not its URL or secret.
DELIVERY_FIELDS = (
    "export_id",
    "status",
    "attempts",
    "created_at",
    "last_attempt_at",
    "next_attempt_at",
    "delivered_at",
    "last_status_code",
    "last_error",
    "last_error_code",
    "endpoint__name",
    "endpoint__active",
)


@dataclass(frozen=True)
class DeliveryRow:
    endpoint: str  # the receiver's name; never its URL or secret
    state: str  # "pending", "delivered" or "failed"
    on_hold: bool  # pending for a disabled endpoint: sent only if it is enabled again
    attempts: int
    queued_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime
    delivered_at: datetime | None
    problem: str  # why the last attempt failed, in words; "" if it did not
    status_code: int | None
    detail: str  # the technical error, only for reports.permissions.can_see_delivery_details


@dataclass(frozen=True)
class ExportRecord:
    export: Any  # eparliament.models.Export, without its large fields
    deliveries: list[DeliveryRow]
    documents: list[tuple[str, str]]  # (name in the API, label); empty when not downloadable


def _delivery_row(delivery: Any, *, details: bool) -> DeliveryRow:
    from eparliament.models import Delivery

    states = {Delivery.Status.DELIVERED: "delivered", Delivery.Status.DEAD: "failed"}
    problem = ""
    if delivery.status != Delivery.Status.DELIVERED and delivery.last_error:
        code = delivery.last_error_code
        problem = str(
            Delivery.Failure(code).label if code in Delivery.Failure else _("The delivery failed.")
        )
    return DeliveryRow(
        endpoint=delivery.endpoint.name,
        state=states.get(delivery.status, "pending"),
        on_hold=delivery.status == Delivery.Status.PENDING and not delivery.endpoint.active,
        attempts=delivery.attempts,
        queued_at=delivery.created_at,
        last_attempt_at=delivery.last_attempt_at,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        problem=problem,
        status_code=delivery.last_status_code if problem else None,
        detail=delivery.last_error if problem and details else "",
    )


def eparliament_record(draft: Draft, *, details: bool = False) -> list[ExportRecord]:
    """What the e-parliament was sent about the draft and how each delivery went (2 queries).

    One record per export (a closed round's result), newest first, with its deliveries and the
    documents the public API serves for it (valid exports of public drafts). `details` adds the
    technical error text; endpoint URLs and secrets are never read.
    """
    from eparliament.models import Delivery, Export

    exports = list(
        Export.objects.filter(draft=draft)
        .select_related("round", "version")
        .defer("bundle", "body", "documents")
        .order_by("-id")
    )
    by_export: dict[int, list[DeliveryRow]] = {export.pk: [] for export in exports}
    deliveries = (
        Delivery.objects.filter(export_id__in=by_export)
        .select_related("endpoint")
        .only(*DELIVERY_FIELDS)
        .order_by("endpoint__name", "id")
    )
    for delivery in deliveries:
        by_export[delivery.export_id].append(_delivery_row(delivery, details=details))
    public = draft.status != Draft.Status.DRAFTING and draft.published_at is not None
    return [
        ExportRecord(
            export=export,
            deliveries=by_export[export.pk],
            documents=[
                (name, str(AKN_DOCUMENTS.get(name, name)))
                for name in sorted(export.document_names, key=_document_order)
            ]
            if public and export.is_valid
            else [],
        )
        for export in exports
    ]


def _document_order(name: str) -> tuple[int, str]:
    order = list(AKN_DOCUMENTS)
    return (order.index(name) if name in order else len(order), name)


def latest_export_id(draft: Draft) -> int | None:
    """The latest valid e-parliament export of a public draft (the API serves only those)."""
    from eparliament.models import Export

    if draft.status == Draft.Status.DRAFTING or draft.published_at is None:
        return None
    exports = Export.objects.filter(draft=draft, is_valid=True).order_by("-id")
    return exports.values_list("pk", flat=True).first()


# --- The whole report -----------------------------------------------------------------------


@dataclass
class DraftReport:
    draft: Draft
    generated_at: datetime
    latest: Version | None
    timeline: list[TimelineEntry]
    versions: list[VersionRow]
    comments: CommentStats
    dispositions: DispositionStats
    assessment: Any  # impact.selectors.AssessmentView
    assessment_table: Any  # impact.selectors.CostTable | None
    voting: VotingRecord
    eparliament: list[ExportRecord]


def draft_report(draft: Draft, user: AnyUser) -> DraftReport:
    from impact import selectors as impact_selectors

    versions = versions_with_changes(draft)
    latest = versions[-1].version if versions else None
    voting = voting_record(draft, user)
    assessment = impact_selectors.assessment_view(draft)
    return DraftReport(
        draft=draft,
        generated_at=timezone.now(),
        latest=latest,
        timeline=timeline(draft, [r.round.pk for r in voting.rounds]),
        versions=versions,
        comments=comment_stats(draft, latest),
        dispositions=disposition_stats(draft),
        assessment=assessment,
        assessment_table=impact_selectors.cost_table(assessment.summary)
        if assessment.summary
        else None,
        voting=voting,
        eparliament=eparliament_record(draft, details=can_see_delivery_details(user)),
    )


# --- The dashboard --------------------------------------------------------------------------


def visible_drafts(user: AnyUser) -> QuerySet[Draft]:
    """Drafts the dashboard lists for `user`: all for the site-wide roles; public ones and the
    user's own agencies' for agency members (drafts.permissions.can_view_draft, as a query)."""
    drafts = Draft.objects.all()
    if is_legislator(user) or is_secretariat(user) or is_moderator(user):
        return drafts
    agencies = editor_agency_ids(user) | voter_agency_ids(user)
    public = ~Q(status=Draft.Status.DRAFTING) & Q(published_at__isnull=False)
    return drafts.filter(public | Q(agency_id__in=agencies))


def status_counts(drafts: QuerySet[Draft]) -> list[tuple[str, str, int]]:
    counts = dict(drafts.values_list("status").annotate(n=Count("id")).order_by())
    return [(value, str(label), counts.get(value, 0)) for value, label in Draft.Status.choices]


def upcoming_deadlines(drafts: QuerySet[Draft], now: datetime, limit: int = 20) -> list[dict]:
    """Discussions that close and voting rounds that end from `now` on, soonest first."""
    items: list[dict[str, Any]] = [
        {"at": d.discussion_ends_at, "kind": _("Discussion closes"), "draft": d, "round": None}
        for d in drafts.filter(status=Draft.Status.DISCUSSION, discussion_ends_at__gte=now)
        .select_related("agency")
        .order_by("discussion_ends_at")[:limit]
    ]
    from voting.models import Round

    items += [
        {"at": r.deadline, "kind": _("Voting deadline"), "draft": r.draft, "round": r}
        for r in Round.objects.filter(status=Round.Status.OPEN, deadline__gte=now, draft__in=drafts)
        .select_related("draft", "draft__agency")
        .order_by("deadline")[:limit]
    ]
    return sorted(items, key=lambda item: item["at"])[:limit]

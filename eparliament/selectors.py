"""Reads that turn the database into the plain bundle dict (see eparliament/bundle_json.py)."""

from datetime import UTC, datetime
from typing import Any

from drafts.models import Draft, Version
from eparliament.bundle_json import SCHEMA_VERSION, clean
from sovaz.accounts.models import Agency
from sovaz.audit.models import ActionLog


def iso(value: datetime) -> str:
    """An aware datetime as UTC ISO 8601 with a Z (valid xsd:dateTime, stable in golden files)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def agency_data(agency: Agency) -> dict[str, str]:
    return {
        "code": agency.code,
        "name_uz": agency.name_uz,
        "name_ru": agency.name_ru,
        "name_en": agency.name_en,
    }


def workflow_steps(draft: Draft, *, until: datetime | None = None) -> list[dict[str, str]]:
    """The procedure so far, from the action log and the voting rounds, oldest first."""
    from voting.models import Round

    steps: list[tuple[datetime, str, str]] = []
    agency = draft.agency.code
    entries = ActionLog.objects.filter(
        target_type__app_label="drafts",
        target_type__model="draft",
        target_id=str(draft.pk),
        code__in=["drafts.draft.created", "drafts.draft.status_changed"],
    ).order_by("created_at", "id")
    for entry in entries:
        data = entry.data or {}
        if entry.code == "drafts.draft.created":
            steps.append((entry.created_at, "submitted", agency))
        elif data.get("to") == Draft.Status.DISCUSSION:
            steps.append((entry.created_at, "discussion_opened", agency))
        elif data.get("from") == Draft.Status.DISCUSSION:
            steps.append((entry.created_at, "discussion_closed", "portal"))
    for opened, closed in Round.objects.filter(draft=draft).values_list("opened_at", "closed_at"):
        steps.append((opened, "voting_opened", "portal"))
        if closed:
            steps.append((closed, "voting_closed", "portal"))
    steps.sort(key=lambda s: (s[0], s[1]))
    return [
        {"event": event, "at": iso(at), "by": by}
        for at, event, by in steps
        if until is None or at <= until
    ]


def public_comment_rows(draft: Draft) -> tuple[int, list[dict[str, Any]]]:
    """(number of public comments, the disposition table: public top-level comments in order)."""
    from discussions.models import Comment

    public = Comment.objects.filter(
        draft=draft, deleted_at=None, visibility=Comment.Visibility.VISIBLE
    )
    rows = (
        public.filter(parent=None)
        .order_by("created_at", "id")
        .values(
            "id",
            "anchor_kind",
            "anchor_wid",
            "author__kind",
            "body",
            "created_at",
            "disposition__outcome",
            "disposition__reasoning",
            "disposition__decided_at",
            "disposition__changed_in_version__number",
        )
    )
    table = [
        {
            "comment_id": row["id"],
            "anchor_kind": row["anchor_kind"],
            "anchor_wid": row["anchor_wid"],
            "author_kind": row["author__kind"],
            "text": row["body"],
            "created_at": iso(row["created_at"]),
            "outcome": row["disposition__outcome"] or "unanswered",
            "reasoning": row["disposition__reasoning"] or "",
            "decided_at": iso(row["disposition__decided_at"])
            if row["disposition__decided_at"]
            else None,
            "changed_in_version": row["disposition__changed_in_version__number"],
        }
        for row in rows
    ]
    return public.count(), table


def impact_summary(draft: Draft) -> dict[str, Any] | None:
    # Imported lazily: the impact assessment is optional for the export.
    try:
        from impact.selectors import assessment_summary
    except ImportError:
        return None
    return assessment_summary(draft)


def _base(
    draft: Draft, version: Version, generated_at: datetime, *, until: datetime | None
) -> dict[str, Any]:
    count, table = public_comment_rows(draft)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(generated_at),
        "country": "uz",
        "draft": {
            "id": draft.pk,
            "number": draft.number,
            "title": draft.title,
            "kind": draft.kind,
            "language": draft.language,
            "summary": draft.summary,
            "status": draft.status,
            "impact_level": draft.impact_level,
            "agency": agency_data(draft.agency),
            "submitted_on": iso(draft.created_at)[:10],
        },
        "version": {
            "number": version.number,
            "date": iso(version.created_at)[:10],
            "created_at": iso(version.created_at),
            "change_reason": version.change_reason,
            "text_hash": version.text_hash,
            "structure": version.structure,
        },
        "workflow": workflow_steps(draft, until=until),
        "round": None,
        "comments": {"public_count": count},
        "dispositions": table,
        "impact": impact_summary(draft),
    }


def draft_bundle(version: Version) -> dict[str, Any]:
    """The bundle of a version that no round has closed on (for the API's bill document)."""
    draft = Draft.objects.select_related("agency").get(pk=version.draft_id)
    return clean(_base(draft, version, version.created_at, until=None))


def round_data(rnd) -> dict[str, Any]:
    votes = rnd.votes.select_related("agency").order_by("agency__code")
    return {
        "id": rnd.pk,
        "rule": rnd.rule,
        "opened_at": iso(rnd.opened_at),
        "deadline": iso(rnd.deadline),
        "closed_at": iso(rnd.closed_at),
        "close_reason": rnd.close_reason,
        "eligible": rnd.eligible_count,
        "turnout": rnd.turnout,
        "quorum_met": rnd.quorum_met,
        "outcome": rnd.outcome,
        "result_hash": rnd.result_hash,
        "counts": {
            "approve": rnd.approve_count,
            "approve_remarks": rnd.approve_remarks_count,
            "object": rnd.object_count,
            "abstain": rnd.abstain_count,
        },
        "votes": [
            {
                "agency": agency_data(vote.agency),
                "choice": vote.choice,
                "remarks": vote.remarks,
                "article_wids": list(vote.article_wids or []),
                "cast_at": iso(vote.cast_at),
            }
            for vote in votes
        ],
    }


def round_bundle(rnd) -> dict[str, Any]:
    """The bundle of a closed round: the voted version, the procedure, the result and more."""
    draft = Draft.objects.select_related("agency").get(pk=rnd.draft_id)
    bundle = _base(draft, rnd.version, rnd.closed_at, until=rnd.closed_at)
    bundle["round"] = round_data(rnd)
    return clean(bundle)


def public_comments(draft_ids=None):
    """Comments everyone may read: neither deleted nor hidden (the API and the open data)."""
    from discussions.models import Comment

    qs = Comment.objects.filter(
        deleted_at=None,
        visibility=Comment.Visibility.VISIBLE,
        draft__in=Draft.objects.public(),
    )
    if draft_ids is not None:
        qs = qs.filter(draft_id__in=draft_ids)
    return qs

"""Model → JSON-ready dict for the public API and the open data. Only public fields."""

from typing import Any

from django.urls import reverse

from eparliament.selectors import agency_data, iso


def _iso(value) -> str | None:
    return iso(value) if value else None


def draft_data(draft) -> dict[str, Any]:
    return {
        "id": draft.pk,
        "number": draft.number,
        "title": draft.title,
        "kind": draft.kind,
        "status": draft.status,
        "language": draft.language,
        "impact_level": draft.impact_level,
        "summary": draft.summary,
        "agency": agency_data(draft.agency),
        "discussion_starts_at": _iso(draft.discussion_starts_at),
        "discussion_ends_at": _iso(draft.discussion_ends_at),
        "published_at": _iso(draft.published_at),
        "updated_at": _iso(draft.updated_at),
        "url": reverse("api:draft", args=[draft.pk]),
        "versions_url": reverse("api:versions", args=[draft.pk]),
    }


def version_data(version, *, structure: bool = False) -> dict[str, Any]:
    data = {
        "draft": version.draft_id,
        "number": version.number,
        "created_at": _iso(version.created_at),
        "change_reason": version.change_reason,
        "text_hash": version.text_hash,
        "article_count": version.article_count,
        "url": reverse("api:version", args=[version.draft_id, version.number]),
        "akn_url": reverse("api:version_akn", args=[version.draft_id, version.number]),
    }
    if structure:
        data["structure"] = version.structure
    return data


def comment_data(comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "draft": comment.draft_id,
        "version": comment.version.number,
        "parent": comment.parent_id,
        "anchor_kind": comment.anchor_kind,
        "anchor_wid": comment.anchor_wid,
        "author_kind": comment.author.kind,
        "text": comment.body,
        "created_at": _iso(comment.created_at),
        "edited_at": _iso(comment.edited_at),
    }


def disposition_data(disposition) -> dict[str, Any]:
    return {
        "id": disposition.pk,
        "comment": disposition.comment_id,
        "draft": disposition.comment.draft_id,
        "outcome": disposition.outcome,
        "reasoning": disposition.reasoning,
        "changed_in_version": disposition.changed_in_version.number
        if disposition.changed_in_version
        else None,
        "decided_at": _iso(disposition.decided_at),
    }


def round_data(rnd, *, votes: bool = False) -> dict[str, Any]:
    """A round; its result (and, on request, the votes) only once it is closed."""
    data: dict[str, Any] = {
        "id": rnd.pk,
        "draft": rnd.draft_id,
        "version": rnd.version.number,
        "text_hash": rnd.text_hash,
        "rule": rnd.rule,
        "status": rnd.status,
        "eligible": rnd.eligible_count,
        "opened_at": _iso(rnd.opened_at),
        "deadline": _iso(rnd.deadline),
        "result": None,
        "url": reverse("api:round", args=[rnd.pk]),
    }
    if rnd.status == rnd.Status.CLOSED:
        data["result"] = {
            "closed_at": _iso(rnd.closed_at),
            "close_reason": rnd.close_reason,
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
        }
        if votes:
            data["result"]["votes"] = [vote_data(v) for v in rnd.votes.all()]
    return data


def vote_data(vote) -> dict[str, Any]:
    return {
        "round": vote.round_id,
        "agency": vote.agency.code,
        "choice": vote.choice,
        "remarks": vote.remarks,
        "article_wids": list(vote.article_wids or []),
        "cast_at": _iso(vote.cast_at),
    }


def export_data(export) -> dict[str, Any]:
    return {
        "id": export.pk,
        "kind": export.kind,
        "draft": export.draft_id,
        "round": export.round_id,
        "created_at": _iso(export.created_at),
        "bundle_url": reverse("api:export", args=[export.pk]),
        "documents": {
            name: reverse("api:export_document", args=[export.pk, name])
            for name in export.document_names
        },
    }

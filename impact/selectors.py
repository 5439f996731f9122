"""Reads of impact assessments that other apps rely on (drafts, voting, e-parliament, reports)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from drafts.models import Draft
from impact import calculator
from impact.models import CHECKLIST, AssessmentRevision, Obligation

_LOW = ("problem", "objectives", "legal_basis")
_MEDIUM = (*_LOW, "options", "costs_benefits", "affected")
_HIGH = tuple(name for name, _label, _question in CHECKLIST)

# Which checklist answers a draft of each impact level needs before its public discussion.
# A high-impact draft also needs at least one costed information obligation.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    Draft.ImpactLevel.LOW: _LOW,
    Draft.ImpactLevel.MEDIUM: _MEDIUM,
    Draft.ImpactLevel.HIGH: _HIGH,
}


def latest_revision(draft: Draft) -> AssessmentRevision | None:
    return (
        AssessmentRevision.objects.filter(assessment__draft=draft)
        .select_related("version", "author")
        .order_by("-number")
        .first()
    )


def revision_obligations(revision: AssessmentRevision) -> list[Obligation]:
    return list(revision.obligations.order_by("position", "id"))


def revision_problems(
    draft: Draft,
    revision: AssessmentRevision | None,
    obligations: Sequence[Obligation | calculator.ObligationInput],
) -> list[str]:
    """Human messages for what `revision` lacks for the draft's impact level."""
    if revision is None:
        return [_("The draft has no impact assessment yet.")]
    labels = {name: label for name, label, _question in CHECKLIST}
    problems = [
        _("Answer “%(item)s”.") % {"item": labels[name]}
        for name in REQUIRED_FIELDS[draft.impact_level]
        if not getattr(revision, name).strip()
    ]
    if draft.impact_level == Draft.ImpactLevel.HIGH and not obligations:
        problems.append(
            _("A high-impact draft needs at least one information obligation in the cost model.")
        )
    return problems


def assessment_problems(draft: Draft) -> list[str]:
    """What the draft's impact assessment still lacks before it may open for discussion.

    An empty list means complete. With settings.IMPACT_ASSESSMENT_REQUIRED off the rule is not
    enforced at all (other apps' tests build drafts without assessments).
    """
    if not settings.IMPACT_ASSESSMENT_REQUIRED:
        return []
    revision = latest_revision(draft)
    obligations = revision_obligations(revision) if revision else []
    return revision_problems(draft, revision, obligations)


def revision_summary(
    revision: AssessmentRevision, obligations: list[Obligation]
) -> calculator.Summary:
    return calculator.summarise(
        (o.as_input() for o in obligations), rate=revision.discount_rate, years=revision.years
    )


def assessment_summary(draft: Draft) -> dict[str, Any] | None:
    """The latest assessment as plain JSON-ready data (money as strings), or None if none.

    Used by the voting ballot and the e-parliament export; the keys are a stable contract.
    """
    revision = latest_revision(draft)
    if revision is None:
        return None
    obligations = revision_obligations(revision)
    summary = revision_summary(revision, obligations)
    problems = revision_problems(draft, revision, obligations)
    return {
        "revision": revision.number,
        "version": revision.version.number if revision.version else None,
        "saved_at": revision.created_at.isoformat(),
        "impact_level": draft.impact_level,
        "complete": not problems,
        "problems": problems,
        "checklist": {name: getattr(revision, name) for name, _label, _q in CHECKLIST},
        "obligations": [
            {
                "key": row.obligation.key,
                "name": row.obligation.name,
                "group": row.obligation.group,
                "group_label": row.obligation.group_label,
                "tariff": str(row.obligation.tariff),
                "time": str(row.obligation.time),
                "population": row.obligation.population,
                "frequency": str(row.obligation.frequency),
                "external": str(row.obligation.external),
                "annual_cost": str(row.annual),
            }
            for row in summary.rows
        ],
        "annual_total": str(summary.annual_total),
        "by_group": {group: str(total) for group, total in summary.by_group.items()},
        "discount_rate": str(summary.rate),
        "years": summary.years,
        "npv": str(summary.npv),
        "currency": "UZS",
        "url": reverse("impact:detail", args=[draft.pk]),
    }


@dataclass(frozen=True)
class AssessmentView:
    """Everything an assessment page shows about one revision."""

    revision: AssessmentRevision | None
    obligations: list[Obligation]
    summary: calculator.Summary | None
    problems: list[str]
    is_latest: bool
    text_version: int | None  # the draft's latest version number, to flag a stale assessment


def assessment_view(draft: Draft, number: int | None = None) -> AssessmentView:
    """The latest revision, or revision `number` (404 if there is no such revision)."""
    latest = latest_revision(draft)
    revision = latest
    if number is not None and (latest is None or number != latest.number):
        revision = get_object_or_404(
            AssessmentRevision.objects.select_related("version", "author"),
            assessment__draft=draft,
            number=number,
        )
    obligations = revision_obligations(revision) if revision else []
    return AssessmentView(
        revision=revision,
        obligations=obligations,
        summary=revision_summary(revision, obligations) if revision else None,
        problems=revision_problems(draft, revision, obligations),
        is_latest=revision is latest,
        text_version=draft.versions.order_by("-number").values_list("number", flat=True).first(),
    )


def revision_history(draft: Draft) -> list[AssessmentRevision]:
    return list(
        AssessmentRevision.objects.filter(assessment__draft=draft)
        .select_related("version", "author")
        .annotate(obligation_count=Count("obligations"))
        .order_by("-number")
    )


def summary_with(obligations: list[Obligation], *, rate: Decimal, years: int) -> calculator.Summary:
    return calculator.summarise((o.as_input() for o in obligations), rate=rate, years=years)


@dataclass(frozen=True)
class CostTable:
    """A calculator summary with the affected groups' labels, ready for a template."""

    summary: calculator.Summary
    rows: list[tuple[calculator.ObligationCost, str]]  # (cost, group label)
    group_totals: list[tuple[str, Decimal]]  # (group label, annual total)


def cost_table(summary: calculator.Summary) -> CostTable:
    labels = dict(Obligation.Group.choices)
    return CostTable(
        summary=summary,
        rows=[(row, labels[row.obligation.group]) for row in summary.rows],
        group_totals=[(labels[group], total) for group, total in summary.by_group.items()],
    )


def assessment_comments(draft: Draft) -> list[Any]:
    """Visible top-level comments on the assessment (anchor kind "assessment"), oldest first."""
    from discussions.models import Comment

    return list(
        Comment.objects.filter(
            draft=draft,
            anchor_kind=Comment.Anchor.ASSESSMENT,
            parent=None,
            deleted_at=None,
            visibility=Comment.Visibility.VISIBLE,
        )
        .select_related("author")
        .order_by("created_at", "id")[:500]
    )

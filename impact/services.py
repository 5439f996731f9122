"""Every write to impact assessments. Each write is a new immutable revision.

A write that would only repeat the latest revision is refused (code "unchanged").
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drafts.models import Draft
from impact import calculator, permissions, selectors
from impact.models import CHECKLIST_FIELDS, Assessment, AssessmentRevision, Obligation
from sovaz.accounts.models import User
from sovaz.audit.services import action_log

REVISION_FIELDS = (*CHECKLIST_FIELDS, "discount_rate", "years")
_OBLIGATION_FIELDS = (
    "name", "group", "group_label", "tariff", "time", "population", "frequency", "external"
)  # fmt: skip

Obligations = list[calculator.ObligationInput]


def _check(obligation: calculator.ObligationInput) -> calculator.ObligationInput:
    try:
        calculator.validate_obligation(obligation)
    except calculator.CalculatorError as exc:
        raise ValidationError({exc.field: ValidationError(exc.message, code=exc.code)}) from None
    return replace(
        obligation, name=obligation.name.strip(), group_label=obligation.group_label.strip()
    )


def _revise(
    *,
    draft: Draft,
    actor: User,
    reason: str,
    fields: dict[str, Any],
    change: Callable[[Assessment, Obligations], Obligations] | None = None,
    now: datetime | None = None,
) -> AssessmentRevision:
    """Write the next revision: the previous one with `fields` and `change` applied.

    Locks the assessment row, so two editors saving at once get consecutive revisions and
    neither loses the other's obligations. A save that would repeat the previous revision
    (answers, discounting, obligations and the version of the text alike) is refused with code
    "unchanged"; a reason alone is not a change.

    Once the draft's public discussion has opened, the assessment is what the public comments
    on: a change to it needs a reason (code "reason_required"), and a change that would leave
    it lacking something its impact level requires, which it had before, is refused (code
    "would_be_incomplete"), just as an incomplete assessment keeps a draft from opening.
    """
    unknown = set(fields) - set(REVISION_FIELDS)
    if unknown:
        raise ValueError(f"not assessment fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Draft.objects.select_for_update().select_related("agency").get(pk=draft.pk)
        if not permissions.can_edit_assessment(actor, locked):
            raise PermissionDenied(
                _("Only editors of the developing agency may change this assessment.")
            )
        assessment, _created = Assessment.objects.get_or_create(draft=locked)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        previous = assessment.revisions.order_by("-number").first()
        values = {name: getattr(previous, name) for name in REVISION_FIELDS} if previous else {}
        values.update(fields)
        kept = [o.as_input() for o in previous.obligations.all()] if previous else []
        obligations = change(assessment, kept) if change is not None else kept
        version = locked.versions.order_by("-number").first()
        # Saving the same answers against a newer text is a change: it is how the editor
        # confirms that the assessment still holds for that version.
        unchanged = (
            previous is not None
            and version is not None
            and previous.version_id == version.pk
            and obligations == kept
            and all(getattr(previous, name) == value for name, value in values.items())
        )
        if unchanged:
            raise ValidationError(
                _("Nothing changed: the assessment is the same as revision %(number)s.")
                % {"number": previous.number},
                code="unchanged",
            )
        if permissions.discussion_opened(locked):
            _check_public_change(locked, previous, values, kept, obligations, reason)
        revision = AssessmentRevision(
            assessment=assessment,
            number=previous.number + 1 if previous else 1,
            version=version,
            author=actor,
            created_at=now or timezone.now(),
            reason=reason.strip() or _("Assessment updated"),
            **values,
        )
        revision.full_clean(exclude=["assessment", "version", "author"])
        revision.save()
        Obligation.objects.bulk_create(
            Obligation(
                revision=revision,
                position=position,
                key=o.key,
                **{name: getattr(o, name) for name in _OBLIGATION_FIELDS},
            )
            for position, o in enumerate(obligations)
        )
        assessment.save(update_fields=["next_obligation"])
        changed = sorted(
            name for name in fields if not previous or getattr(previous, name) != fields[name]
        )
        action_log(
            actor=actor,
            code="impact.assessment.revised",
            target=locked,
            data={"revision": revision.number, "fields": changed, "reason": revision.reason},
        )
    return revision


def _check_public_change(
    draft: Draft,
    previous: AssessmentRevision | None,
    values: dict[str, Any],
    kept: Obligations,
    obligations: Obligations,
    reason: str,
) -> None:
    """Refuse a change to the assessment of a draft in public discussion or later.

    Only problems this change introduces count: an assessment that was already short of
    something (the rule switched off when the discussion opened, or the impact level raised
    since) can still be improved one step at a time.
    """
    errors: dict[str, list[ValidationError]] = {}
    # The first revision, written after the discussion opened, changes nothing anyone read.
    if previous is not None and not reason.strip():
        errors["reason"] = [
            ValidationError(
                _("The public discussion has opened: say why the assessment is changed."),
                code="reason_required",
            )
        ]
    if settings.IMPACT_ASSESSMENT_REQUIRED:
        before = selectors.revision_problems(draft, previous or AssessmentRevision(), kept)
        after = selectors.revision_problems(draft, AssessmentRevision(**values), obligations)
        missing = [problem for problem in after if problem not in before]
        if missing:
            errors[NON_FIELD_ERRORS] = [
                ValidationError(
                    _(
                        "The public discussion has opened, so the assessment must stay complete "
                        "for the draft's impact level. This change would leave it incomplete: "
                        "%(missing)s"
                    )
                    % {"missing": " ".join(missing)},
                    code="would_be_incomplete",
                )
            ]
    if errors:
        raise ValidationError(errors)


def assessment_revise(
    *, draft: Draft, actor: User, reason: str = "", now: datetime | None = None, **fields: Any
) -> AssessmentRevision:
    """Change the checklist answers and/or the discounting (`discount_rate`, `years`)."""
    if "discount_rate" in fields or "years" in fields:
        rate = fields.get("discount_rate", Decimal(0))
        try:
            calculator.validate_discounting(rate, int(fields.get("years", 1)))
        except calculator.CalculatorError as exc:
            field = "discount_rate" if exc.field == "rate" else exc.field
            raise ValidationError({field: ValidationError(exc.message, code=exc.code)}) from None
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    return _revise(draft=draft, actor=actor, reason=reason, fields=cleaned, now=now)


def obligation_add(
    *,
    draft: Draft,
    actor: User,
    obligation: calculator.ObligationInput,
    now: datetime | None = None,
) -> AssessmentRevision:
    """Add an information obligation; it gets the next stable key (`obl-<n>`)."""
    obligation = _check(obligation)

    def change(assessment: Assessment, obligations: Obligations) -> Obligations:
        key = f"obl-{assessment.next_obligation}"
        assessment.next_obligation += 1
        return [*obligations, replace(obligation, key=key)]

    reason = _("Obligation added: %(name)s") % {"name": obligation.name}
    return _revise(draft=draft, actor=actor, reason=reason, fields={}, change=change, now=now)


def _replace_keyed(
    key: str, new: calculator.ObligationInput | None
) -> Callable[[Assessment, Obligations], Obligations]:
    def change(assessment: Assessment, obligations: Obligations) -> Obligations:
        if not any(o.key == key for o in obligations):
            raise ValidationError(_("No such obligation."), code="no_obligation")
        if new is None:
            return [o for o in obligations if o.key != key]
        return [replace(new, key=key) if o.key == key else o for o in obligations]

    return change


def obligation_update(
    *,
    draft: Draft,
    actor: User,
    key: str,
    obligation: calculator.ObligationInput,
    now: datetime | None = None,
) -> AssessmentRevision:
    """Change the obligation with `key`; it keeps its key, so its comments stay attached."""
    obligation = _check(obligation)
    reason = _("Obligation changed: %(name)s") % {"name": obligation.name}
    return _revise(
        draft=draft,
        actor=actor,
        reason=reason,
        fields={},
        change=_replace_keyed(key, obligation),
        now=now,
    )


def obligation_remove(
    *, draft: Draft, actor: User, key: str, now: datetime | None = None
) -> AssessmentRevision:
    """Drop the obligation with `key` from the next revision (earlier revisions keep it)."""
    reason = _("Obligation removed: %(key)s") % {"key": key}
    return _revise(
        draft=draft,
        actor=actor,
        reason=reason,
        fields={},
        change=_replace_keyed(key, None),
        now=now,
    )

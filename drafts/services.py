"""Every write to drafts and versions. Views, admin, commands and other apps call these."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from drafts import permissions, reasons
from drafts.identity import assign_wids
from drafts.models import Draft, Version
from drafts.textparse import (
    ParseError,
    article_count,
    iter_nodes,
    parse_text,
    structure_hash,
)
from drafts.validators import validate_draft_number
from sovaz.accounts.models import Agency, User
from sovaz.accounts.permissions import is_editor_of
from sovaz.audit.services import action_log

Status = Draft.Status

# Which status may follow which, and the rule's name for messages.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFTING: {Status.DISCUSSION, Status.WITHDRAWN},
    Status.DISCUSSION: {Status.VOTING, Status.WITHDRAWN},
    Status.VOTING: {Status.APPROVED, Status.REJECTED, Status.DISCUSSION, Status.WITHDRAWN},
    Status.APPROVED: {Status.SENT},
    Status.REJECTED: {Status.SENT},
    Status.SENT: set(),
    Status.WITHDRAWN: set(),
}

METADATA_FIELDS = ("title", "kind", "summary", "impact_level", "language")


def _lock(draft: Draft) -> Draft:
    """Re-read the draft under a row lock; call inside transaction.atomic()."""
    return Draft.objects.select_for_update().select_related("agency").get(pk=draft.pk)


def _parse(text: str, fmt: str) -> dict[str, Any]:
    # A .docx upload arrives as the plain text drafts/docx.py read from it.
    if fmt == Version.Format.DOCX:
        fmt = Version.Format.TEXT
    try:
        return parse_text(text, fmt)
    except ParseError as exc:
        raise ValidationError(exc.message, code="malformed_text") from None


def draft_create(
    *,
    author: User,
    agency: Agency,
    title: str,
    kind: str,
    number: str,
    text: str,
    source_format: str = Version.Format.TEXT,
    summary: str = "",
    impact_level: str = Draft.ImpactLevel.MEDIUM,
    language: str = Draft.Language.UZ,
) -> Draft:
    """Create a draft with its first version. Only editors of `agency` may."""
    if not is_editor_of(author, agency):
        raise PermissionDenied(_("Only editors of an agency may create its drafts."))
    validate_draft_number(number)
    structure = _parse(text, source_format)  # before any write: bad text writes nothing
    if Draft.objects.filter(number=number).exists():
        raise ValidationError(
            _("A draft numbered %(number)s already exists.") % {"number": number},
            code="duplicate_number",
        )
    with transaction.atomic():
        draft = Draft(
            title=title,
            kind=kind,
            number=number,
            agency=agency,
            summary=summary,
            impact_level=impact_level,
            language=language,
            created_by=author,
        )
        draft._change_reason = reasons.stored(reasons.DRAFT_CREATED)
        draft._history_user = author
        draft.full_clean()
        draft.save()
        _version_create(
            draft=draft,
            author=author,
            structure=assign_wids(structure, None),
            text=text,
            source_format=source_format,
            change_reason=reasons.stored(reasons.FIRST_VERSION),
            number=1,
        )
        action_log(actor=author, code="drafts.draft.created", target=draft)
    return draft


def draft_update(*, draft: Draft, actor: User, reason: str, **fields: Any) -> Draft:
    """Change a draft's metadata. The change is kept in its history with `reason` and `actor`."""
    unknown = set(fields) - set(METADATA_FIELDS)
    if unknown:
        raise ValueError(f"not metadata: {sorted(unknown)}")
    if not reason.strip():
        raise ValidationError(_("Say why the draft is changed."), code="reason_required")
    with transaction.atomic():
        draft = _lock(draft)
        if not permissions.can_edit_draft(actor, draft):
            raise PermissionDenied(_("This draft can no longer be changed by you."))
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.full_clean()
        draft._change_reason = reason.strip()
        draft._history_user = actor
        draft.save()
        action_log(
            actor=actor,
            code="drafts.draft.updated",
            target=draft,
            data={"fields": sorted(fields), "reason": reason.strip()},
        )
    return draft


def _version_create(
    *,
    draft: Draft,
    author: User,
    structure: dict[str, Any],
    text: str,
    source_format: str,
    change_reason: str,
    number: int,
) -> Version:
    return Version.objects.create(
        draft=draft,
        number=number,
        author=author,
        change_reason=change_reason,
        source_format=source_format,
        source_text=text,
        structure=structure,
        text_hash=structure_hash(structure),
        article_count=article_count(structure),
    )


def _retired_wids(draft: Draft, latest: Version | None) -> set[str]:
    """wIds of earlier versions, so that a removed article's wId is never given to a new one."""
    older = draft.versions.exclude(pk=latest.pk) if latest else draft.versions.none()
    return {
        node["wId"]
        for structure in older.values_list("structure", flat=True)
        for node in iter_nodes(structure)
    }


def version_publish(
    *,
    draft: Draft,
    author: User,
    text: str,
    change_reason: str,
    source_format: str = Version.Format.TEXT,
) -> Version:
    """Publish a new immutable version; wIds continue from the latest version.

    Refuses an unchanged text (same hash) so history holds only real edits. The draft row is
    locked so two editors publishing at once get consecutive numbers, never the same one.
    """
    if not change_reason.strip():
        raise ValidationError(_("Say what changed in this version."), code="reason_required")
    structure = _parse(text, source_format)
    with transaction.atomic():
        draft = _lock(draft)
        if not permissions.can_edit_draft(author, draft):
            raise PermissionDenied(_("This draft can no longer be changed by you."))
        latest = draft.versions.order_by("-number").first()
        structure = assign_wids(
            structure, latest.structure if latest else None, retired=_retired_wids(draft, latest)
        )
        if latest and structure_hash(structure) == latest.text_hash:
            raise ValidationError(
                _("The text is the same as version %(number)s; nothing to publish.")
                % {"number": latest.number},
                code="unchanged",
            )
        version = _version_create(
            draft=draft,
            author=author,
            structure=structure,
            text=text,
            source_format=source_format,
            change_reason=change_reason.strip(),
            number=(latest.number + 1) if latest else 1,
        )
        draft._change_reason = reasons.stored(reasons.VERSION_PUBLISHED, number=version.number)
        draft._history_user = author
        draft.save(update_fields=["updated_at"])
        action_log(
            actor=author,
            code="drafts.version.published",
            target=draft,
            data={"version": version.number, "hash": version.text_hash},
        )
    return version


def minimum_discussion_days(impact_level: str) -> int:
    return int(settings.DISCUSSION_MIN_DAYS[impact_level])


def _check_discussion_period(draft: Draft, starts_at: datetime, ends_at: datetime) -> None:
    """The period may start today or later; its minimum length counts from the later of its
    start and now, so a start earlier today (or a backdated one) never shortens it."""
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("discussion dates must be aware")
    now = timezone.now()
    if ends_at <= starts_at:
        raise ValidationError(
            _("The discussion must close after it opens."), code="period_reversed"
        )
    if ends_at <= now:
        raise ValidationError(_("The discussion must close in the future."), code="period_in_past")
    if timezone.localdate(starts_at) < timezone.localdate(now):
        raise ValidationError(
            _("The discussion cannot open in the past; choose today or a later day."),
            code="period_starts_in_past",
        )
    days = minimum_discussion_days(draft.impact_level)
    length = ends_at - max(starts_at, now)
    if length < timedelta(days=days):
        raise ValidationError(
            _(
                "A draft of %(level)s impact must be open for discussion for at least "
                "%(days)s days; the period you chose is %(chosen)s days."
            )
            % {
                "level": draft.get_impact_level_display().lower(),
                "days": days,
                "chosen": length.days,
            },
            code="period_too_short",
        )


def _assessment_problems(draft: Draft) -> list[str]:
    # The impact assessment builds on drafts; a draft opens for discussion only with a
    # complete one (see impact/selectors.py for what "complete" means per impact level).
    from impact.selectors import assessment_problems

    return assessment_problems(draft)


def draft_open_discussion(
    *, draft: Draft, actor: User, starts_at: datetime, ends_at: datetime
) -> Draft:
    """Move a draft from drafting to public discussion over [starts_at, ends_at).

    Refusals carry the codes period_reversed, period_starts_in_past, period_in_past and
    period_too_short (see _check_discussion_period).
    """
    with transaction.atomic():
        draft = _lock(draft)
        if not permissions.can_open_discussion(actor, draft):
            _refuse_transition(draft, Status.DISCUSSION, actor)
        if not draft.versions.exists():
            raise ValidationError(_("Publish the text before opening it for discussion."))
        _check_discussion_period(draft, starts_at, ends_at)
        problems = _assessment_problems(draft)
        if problems:
            raise ValidationError(
                [_("The impact assessment is incomplete:"), *problems],
                code="assessment_incomplete",
            )
        draft.discussion_starts_at = starts_at
        draft.discussion_ends_at = ends_at
        draft.published_at = draft.published_at or timezone.now()
        _set_status(draft, Status.DISCUSSION, actor, reasons.stored(reasons.DISCUSSION_OPENED))
    return draft


def _refuse_transition(draft: Draft, to: str, actor: User) -> None:
    if to not in TRANSITIONS[draft.status]:
        raise ValidationError(
            _("A draft in status “%(current)s” cannot move to “%(target)s”.")
            % {"current": draft.get_status_display(), "target": Status(to).label},
            code="bad_transition",
        )
    raise PermissionDenied(_("You may not change the status of this draft."))


def _set_status(draft: Draft, to: str, actor: User | None, reason: str, **data: Any) -> None:
    old = draft.status
    draft.status = to
    draft._change_reason = reason
    draft._history_user = actor
    draft.save()
    action_log(
        actor=actor,
        code="drafts.draft.status_changed",
        target=draft,
        data={"from": old, "to": to, "reason": reason, **data},
    )


def draft_transition(
    *, draft: Draft, to: str, actor: User | None, reason: str, **data: Any
) -> Draft:
    """Move a draft to status `to` for a system workflow (voting, export).

    The caller (voting.services, eparliament.services) has checked who may; this checks only
    that the lifecycle allows the step. Locks the draft; run inside the caller's transaction.
    """
    with transaction.atomic():
        draft = _lock(draft)
        if to not in TRANSITIONS[draft.status]:
            _refuse_transition(draft, to, actor)  # raises
        _set_status(draft, to, actor, reason, **data)
    return draft


def draft_withdraw(*, draft: Draft, actor: User, reason: str) -> Draft:
    """Withdraw an open draft; editors of its agency and the secretariat may."""
    if not reason.strip():
        raise ValidationError(_("Say why the draft is withdrawn."), code="reason_required")
    with transaction.atomic():
        draft = _lock(draft)
        if not permissions.can_withdraw(actor, draft):
            _refuse_transition(draft, Status.WITHDRAWN, actor)
        _set_status(draft, Status.WITHDRAWN, actor, reason.strip())
    return draft

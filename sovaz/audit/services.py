from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from sovaz.accounts.models import User
from sovaz.audit.models import ActionLog


def action_log(
    *,
    actor: User | None,
    code: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> ActionLog:
    """Record a privileged action. Call it inside the transaction that performs the action."""
    entry = ActionLog(actor=actor if actor and actor.is_authenticated else None, code=code)
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.data = data or {}
    entry.save()
    return entry


def action_log_for(target: models.Model) -> models.QuerySet[ActionLog]:
    return ActionLog.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionLog(models.Model):
    """One privileged action: who did what to which object, with namespaced codes.

    Codes read like `drafts.draft.status_changed` or `voting.round.closed`. Rows are never
    updated or deleted by the application.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty for actions taken by the system (workers, schedules)."),
    )
    code = models.CharField(_("code"), max_length=80)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("target type")
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "Everything that happened to this draft/round", newest first (admin, reports).
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target"),
            # The admin's filter by code ("every voting.round.closed"), newest first.
            models.Index(fields=["code", "-created_at"], name="audit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.code} {self.target_repr}"

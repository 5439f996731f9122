"""The e-parliament outbox: endpoints, frozen exports of closed rounds, deliveries and alerts."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft, Version


class Endpoint(models.Model):
    """An e-parliament receiver that closed rounds are pushed to (Standard Webhooks)."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("Where deliveries are POSTed (http or https).")
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        help_text=_("A 'whsec_' secret shared with the receiver; it signs every delivery."),
    )
    previous_secret = models.CharField(
        _("previous secret"),
        max_length=200,
        blank=True,
        help_text=_("After a rotation, also signs deliveries until the overlap ends."),
    )
    previous_secret_until = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive endpoints receive nothing.")
    )
    allow_private = models.BooleanField(
        _("allow private addresses"),
        default=False,
        help_text=_(
            "Allow loopback, private and link-local addresses (local testing only). "
            "Only administrators may set this."
        ),
    )
    disabled_reason = models.CharField(
        _("why disabled"), max_length=300, blank=True, help_text=_("Set when SOVAZ disables it.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("e-parliament endpoint")
        verbose_name_plural = _("e-parliament endpoints")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def signing_secrets(self, now: datetime | None = None) -> list[str]:
        """The secrets that sign a delivery now: the current one, plus the previous in overlap."""
        now = now or timezone.now()
        result = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            result.append(self.previous_secret)
        return result


class Export(models.Model):
    """The frozen bundle of one closed round: the exact bytes every endpoint receives.

    Built once, inside the transaction that closes the round, so retries and re-sends carry
    the same body. An export whose documents fail validation is kept (for the admin to see)
    but never delivered.
    """

    class Kind(models.TextChoices):
        ROUND_CLOSED = "round.closed", _("Voting round closed")

    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.ROUND_CLOSED
    )
    draft = models.ForeignKey(
        Draft, on_delete=models.PROTECT, related_name="exports", verbose_name=_("draft")
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        related_name="exports",
        verbose_name=_("version voted on"),
    )
    round = models.ForeignKey(
        "voting.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("voting round"),
        help_text=_("The round whose closing made it."),
    )
    bundle = models.BinaryField(_("JSON bundle"), help_text=_("Canonical UTF-8 JSON."))
    documents = models.JSONField(
        _("Akoma Ntoso documents"), default=dict, help_text=_("Document name → XML text.")
    )
    document_names = models.JSONField(
        _("document names"), default=list, help_text=_("The keys of the documents, for lists.")
    )
    body = models.BinaryField(_("delivery body"), help_text=_("The bytes POSTed to endpoints."))
    is_valid = models.BooleanField(_("valid"), default=True)
    errors = models.TextField(_("validation errors"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-id"]
        indexes = [
            # The API's export list filtered by draft, in id order.
            models.Index(fields=["draft", "id"], name="ep_export_draft"),
        ]
        constraints = [
            # Closing a round exports it once; a repeated call must not send it twice. An
            # invalid export does not count, so a fixed serializer can export the round again.
            models.UniqueConstraint(
                fields=["round", "kind"],
                condition=Q(is_valid=True),
                name="ep_export_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.draft.number} v{self.version.number}"


class Delivery(models.Model):
    """Outbox row: one export to one endpoint. The webhook id never changes, even on re-send."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Dead letter")

    class Failure(models.TextChoices):
        """Why the last attempt failed, in words a legislator reads on the report (the codes
        are eparliament.client.DeliveryError.code)."""

        TIMEOUT = "timeout", _("The e-parliament did not answer in time.")
        UNREACHABLE = "unreachable", _("The e-parliament could not be reached.")
        HTTP_ERROR = "http_error", _("The e-parliament answered with an error.")
        RATE_LIMITED = "rate_limited", _("The e-parliament asked to wait before the next try.")
        GONE = "gone", _("The e-parliament retired this address; nothing more is sent to it.")
        REDIRECT = "redirect", _("The e-parliament sent a redirect, which is not followed.")
        UNSAFE_ADDRESS = "unsafe_address", _("The e-parliament address is in a private network.")
        BAD_URL = "bad_url", _("The e-parliament address is not valid.")
        BAD_SECRET = "bad_secret", _("The signing secret of this e-parliament address is invalid.")

    export = models.ForeignKey(
        Export, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("export")
    )
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("endpoint")
    )
    webhook_id = models.CharField(_("webhook id"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_code = models.CharField(
        _("why the last attempt failed"),
        max_length=32,
        choices=Failure.choices,
        blank=True,
        help_text=_("Shown in words on the draft's report; the last error has the details."),
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        indexes = [
            # The worker's claim: pending rows whose next attempt is due, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="ep_delivery_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["export", "endpoint"], name="ep_delivery_once"),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="ep_delivery_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id} → {self.endpoint}"


class Alert(models.Model):
    """Something an administrator must look at: shown at the top of the admin lists."""

    class Kind(models.TextChoices):
        INVALID_DOCUMENT = "invalid_document", _("Invalid document (not sent)")
        DEAD_LETTER = "dead_letter", _("Delivery gave up")
        ENDPOINT_DISABLED = "endpoint_disabled", _("Endpoint disabled")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    message = models.TextField(_("message"))
    export = models.ForeignKey(
        Export, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("export")
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("delivery")
    )
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("endpoint")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-id"]
        indexes = [
            # The admin banner: unresolved alerts, newest first.
            models.Index(fields=["resolved_at", "-id"], name="ep_alert_open"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message[:80]}"

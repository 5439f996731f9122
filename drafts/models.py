from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sovaz.accounts.models import Agency


class DraftQuerySet(models.QuerySet["Draft"]):
    def public(self) -> "DraftQuerySet":
        """Drafts the public may read: everything that has left the drafting stage."""
        return self.exclude(status=Draft.Status.DRAFTING).exclude(published_at=None)

    def open_for_comment(self, now=None) -> "DraftQuerySet":
        now = now or timezone.now()
        return self.filter(
            status=Draft.Status.DISCUSSION,
            discussion_starts_at__lte=now,
            discussion_ends_at__gt=now,
        )


class Draft(models.Model):
    """A draft legal act prepared by one agency. Its text lives in immutable `Version`s."""

    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        DECREE = "decree", _("Presidential decree")
        RESOLUTION = "resolution", _("Cabinet resolution")
        ORDER = "order", _("Ministerial order")
        LOCAL = "local", _("Local act")

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        DISCUSSION = "discussion", _("Public discussion")
        VOTING = "voting", _("Agency voting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SENT = "sent", _("Sent to parliament")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ImpactLevel(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Language(models.TextChoices):
        UZ = "uz", _("Uzbek")
        RU = "ru", _("Russian")
        EN = "en", _("English")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind of act"), max_length=16, choices=Kind.choices)
    number = models.CharField(
        _("number"),
        max_length=40,
        unique=True,
        help_text=_("Registration number of the draft, e.g. 'ID-2026-0142'."),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="drafts",
        verbose_name=_("developing agency"),
    )
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    language = models.CharField(
        _("language of the text"), max_length=2, choices=Language.choices, default=Language.UZ
    )
    impact_level = models.CharField(
        _("impact level"),
        max_length=8,
        choices=ImpactLevel.choices,
        default=ImpactLevel.MEDIUM,
        help_text=_("Sets the minimum length of the public discussion."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFTING
    )
    discussion_starts_at = models.DateTimeField(_("discussion opens"), null=True, blank=True)
    discussion_ends_at = models.DateTimeField(_("discussion closes"), null=True, blank=True)
    published_at = models.DateTimeField(
        _("made public"), null=True, blank=True, help_text=_("When the discussion first opened.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], verbose_name=_("historical draft"))
    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The public list: filter by status, newest first.
            models.Index(fields=["status", "-updated_at"], name="drafts_status_updated"),
            # The agency's own list and the agency filter.
            models.Index(fields=["agency", "-updated_at"], name="drafts_agency_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(discussion_starts_at__isnull=True)
                | Q(discussion_ends_at__isnull=True)
                | Q(discussion_ends_at__gt=models.F("discussion_starts_at")),
                name="drafts_discussion_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("drafts:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Still in a state from which it may be withdrawn or moved on."""
        return self.status in (self.Status.DRAFTING, self.Status.DISCUSSION, self.Status.VOTING)

    def is_open_for_comment(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.status == self.Status.DISCUSSION
            and self.discussion_starts_at
            and self.discussion_ends_at
            and self.discussion_starts_at <= now < self.discussion_ends_at
        )

    @property
    def discussion_last_day(self) -> date | None:
        """The last day people may comment, in Tashkent time.

        `discussion_ends_at` is the exclusive end: midnight after the last day.
        """
        if self.discussion_ends_at is None:
            return None
        return timezone.localtime(self.discussion_ends_at - timedelta(microseconds=1)).date()


class Version(models.Model):
    """One published, immutable text of a draft.

    `structure` is the parsed text (see drafts/textparse.py for its shape); `text_hash` is the
    SHA-256 of its canonical text, frozen into voting rounds and exports.
    """

    class Format(models.TextChoices):
        TEXT = "text", _("Plain text")
        MARKDOWN = "markdown", _("Markdown")
        DOCX = "docx", _("Word document (.docx)")

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="versions", verbose_name=_("draft")
    )
    number = models.PositiveIntegerField(_("version number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    change_reason = models.CharField(_("reason for the change"), max_length=1000)
    source_format = models.CharField(
        _("source format"), max_length=10, choices=Format.choices, default=Format.TEXT
    )
    source_text = models.TextField(_("source text"))
    structure = models.JSONField(_("structure"))
    text_hash = models.CharField(_("SHA-256 of the canonical text"), max_length=64)
    article_count = models.PositiveIntegerField(_("articles"), default=0)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["draft", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="drafts_version_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="drafts_version_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.draft.number} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("drafts:version", args=[self.draft_id, self.number])

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drafts.models import Draft, Version

MAX_DEPTH = 3  # a top-level comment is depth 1; replies nest down to depth 3
MAX_BODY_LENGTH = 5000
AUTO_HIDE_REPORTS = 3


class Comment(models.Model):
    """A comment on a draft, written on one version and anchored to a part of it.

    `body` is kept exactly as typed; `body_html` is its sanitised rendering, made on write by
    sovaz.sanitize. A deleted comment stays as a tombstone so its replies keep their context.
    """

    class Anchor(models.TextChoices):
        DRAFT = "draft", _("The whole draft")
        PROVISION = "provision", _("An article or paragraph")
        ASSESSMENT = "assessment", _("The impact assessment")

    class Visibility(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        PENDING = "pending", _("Hidden pending review")
        HIDDEN = "hidden", _("Hidden by a moderator")

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="comments", verbose_name=_("draft")
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("version"),
        help_text=_("The version the commenter was reading."),
    )
    anchor_kind = models.CharField(
        _("comment on"), max_length=16, choices=Anchor.choices, default=Anchor.DRAFT
    )
    anchor_wid = models.CharField(
        _("article or paragraph"),
        max_length=200,
        blank=True,
        help_text=_("The wId of the article or paragraph, stable across versions."),
    )
    anchor_key = models.CharField(
        _("assessment item"),
        max_length=200,
        blank=True,
        help_text=_("For comments on the impact assessment: the obligation it concerns, if any."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    depth = models.PositiveSmallIntegerField(
        _("depth"), default=1, help_text=_("1 for a comment, 2 and 3 for replies.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"), help_text=_("Exactly as typed (Markdown subset)."))
    body_html = models.TextField(_("text as HTML"), help_text=_("Sanitised rendering of the text."))
    created_at = models.DateTimeField(_("written"))
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(
        _("deleted"),
        null=True,
        blank=True,
        help_text=_("Deleted by its author; kept as a tombstone."),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
        help_text=_("Empty when hidden automatically after reports."),
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=1000, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        help_text=_("Grows with every change, so live pages apply each change once."),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            # The discussion panel and the disposition table: a draft's comments in order.
            models.Index(fields=["draft", "created_at"], name="discussions_comment_draft"),
            # The moderation queue: comments hidden pending review, oldest first.
            models.Index(
                fields=["visibility", "hidden_at"],
                name="discussions_comment_queue",
                condition=~Q(visibility="visible"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__gte=1, depth__lte=MAX_DEPTH), name="discussions_comment_depth"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=1) | Q(parent__isnull=False, depth__gt=1),
                name="discussions_comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=~Q(anchor_kind="provision") | ~Q(anchor_wid=""),
                name="discussions_comment_provision_has_wid",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.author} on {self.draft.number}"

    def get_absolute_url(self) -> str:
        return f"{self.draft.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.visibility != self.Visibility.VISIBLE

    @property
    def is_public(self) -> bool:
        """Whether its text may be shown to everyone."""
        return not self.is_deleted and not self.is_hidden

    @property
    def answer(self) -> "Disposition | None":
        """The drafting agency's answer, or None. (`disposition`, the reverse one-to-one,
        raises when there is none; a template resolving it then also lists the comment's
        attributes to tell that from a property's error, which cost more than the rest of
        the lookup.)"""
        try:
            return self.disposition
        except ObjectDoesNotExist:
            return None


class Report(models.Model):
    """One person's report of one comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(
        _("reviewed"),
        null=True,
        blank=True,
        help_text=_("Set when a moderator hid or restored the comment."),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="discussions_report_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → #{self.comment_id}"


class Disposition(models.Model):
    """The drafting agency's answer to one top-level comment; changes are kept in history."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        REJECTED = "rejected", _("Rejected")
        NOTED = "noted", _("Noted")

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, related_name="disposition", verbose_name=_("comment")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reasoning = models.TextField(_("reasoning"), max_length=MAX_BODY_LENGTH)
    changed_in_version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed in version"),
        help_text=_("The version that carries the change, if the text changed."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered"))
    revision = models.PositiveSmallIntegerField(
        _("answer revision"),
        default=1,
        help_text=_("1 for the first answer; grows each time the answer is changed."),
    )

    history = HistoricalRecords(verbose_name=_("historical disposition"))

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")

    def __str__(self) -> str:
        return f"#{self.comment_id}: {self.get_outcome_display()}"

    @property
    def is_changed(self) -> bool:
        """Whether an earlier answer was replaced (the earlier ones are in `history`)."""
        return self.revision > 1


class Notification(models.Model):
    """A message for one person in the site: a reply to their comment or the agency's answer.

    It is also the e-mail outbox: a notification to be mailed is written `pending` in the
    writer's transaction and sent later by `manage.py send_notifications`, never in the request.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to your comment")
        DISPOSITION = "disposition", _("Answer to your comment")
        ANSWER_CHANGED = "answer_changed", _("Changed answer to your comment")
        HIDDEN = "hidden", _("Your comment was hidden by a moderator")

    class EmailStatus(models.TextChoices):
        NONE = "none", _("Not by e-mail")
        PENDING = "pending", _("Waiting to be mailed")
        SENT = "sent", _("Mailed")
        FAILED = "failed", _("Mailing gave up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("comment"),
        help_text=_("The comment that was answered or replied to."),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Disposition.Outcome.choices,
        blank=True,
        help_text=_("For an answer: the outcome it announced, even if the answer changed since."),
    )
    detail = models.TextField(
        _("details"),
        blank=True,
        help_text=_(
            "The answer's reasoning or the moderator's reason, as it was when the notification "
            "was made."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"),
        max_length=16,
        choices=EmailStatus.choices,
        default=EmailStatus.NONE,
        help_text=_("Whether this notification is also sent by e-mail, and how far that got."),
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_next_try_at = models.DateTimeField(
        _("next e-mail attempt"),
        null=True,
        blank=True,
        help_text=_("When the e-mail worker tries to send it (again)."),
    )
    email_sent_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_error = models.CharField(
        _("e-mail error"),
        max_length=500,
        blank=True,
        help_text=_("Why the last attempt to send the e-mail failed."),
    )
    email_language = models.CharField(
        _("e-mail language"),
        max_length=16,
        blank=True,
        help_text=_(
            "The language the e-mail is written in: the site's language when the notification "
            "was made (empty: the site's default)."
        ),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list page and the unread count: one person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="discussions_notif_recipient"),
            # The e-mail worker's claim: pending e-mails whose next attempt is due, oldest first.
            models.Index(
                fields=["email_next_try_at", "id"],
                name="discussions_notif_email_due",
                condition=Q(email_status="pending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email_status="pending") | Q(email_next_try_at__isnull=False),
                name="discussions_notif_pending_has_next_try",
            ),
            models.CheckConstraint(
                condition=~Q(email_status="sent") | Q(email_sent_at__isnull=False),
                name="discussions_notif_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.get_kind_display()} #{self.comment_id}"

"""Agency voting: rounds on one exact version, one current vote per agency, a hash-chained ledger.

Writes go through voting/services.py only. A closed round, its votes and every ledger entry are
immutable: the models refuse to save them again, and `manage.py verify_ledger` detects changes
made behind the models' back (raw SQL, queryset.update).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft, Version
from sovaz.accounts.models import Agency
from voting.rules import RULE_CHOICES, RULES, Rule


class Choice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_REMARKS = "approve_remarks", _("Approve with remarks")
    OBJECT = "object", _("Object")
    ABSTAIN = "abstain", _("Abstain")


class RoundQuerySet(models.QuerySet["Round"]):
    def open(self) -> "RoundQuerySet":
        return self.filter(status=Round.Status.OPEN)

    def overdue(self) -> "RoundQuerySet":
        """Open rounds whose deadline has passed by the database's clock."""
        return self.filter(status=Round.Status.OPEN, deadline__lte=Now())


class Round(models.Model):
    """One vote of the invited agencies on one exact version of a draft.

    The version's `text_hash` and the invited agencies are frozen when the round opens. The
    result fields are written once, by `voting.services.round_close`, and never again.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NO_QUORUM = "no_quorum", _("No quorum")

    class CloseReason(models.TextChoices):
        DEADLINE = "deadline", _("Deadline reached")
        EARLY = "early", _("Closed early: every agency voted")

    draft = models.ForeignKey(
        Draft, on_delete=models.PROTECT, related_name="voting_rounds", verbose_name=_("draft")
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        related_name="voting_rounds",
        verbose_name=_("version voted on"),
    )
    text_hash = models.CharField(
        _("SHA-256 of the text voted on"),
        max_length=64,
        help_text=_("Copied from the version when the round opened."),
    )
    rule = models.CharField(
        _("quorum and decision rule"),
        max_length=64,
        choices=RULE_CHOICES,
        help_text=_("One of the named rules; shown on every page of the round."),
    )
    invited = models.ManyToManyField(
        Agency,
        through="RoundInvitation",
        related_name="voting_rounds",
        verbose_name=_("invited agencies"),
    )
    eligible_count = models.PositiveIntegerField(
        _("eligible agencies"), help_text=_("How many agencies were invited; frozen at opening.")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Stored in UTC, shown in Tashkent time.")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    # The result: written once when the round closes.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        help_text=_("Empty when the round closed itself at the deadline."),
    )
    close_reason = models.CharField(
        _("why it closed"), max_length=16, choices=CloseReason.choices, blank=True
    )
    turnout = models.PositiveIntegerField(
        _("turnout"), null=True, blank=True, help_text=_("Agencies that voted.")
    )
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    approve_count = models.PositiveIntegerField(_("approvals"), null=True, blank=True)
    approve_remarks_count = models.PositiveIntegerField(
        _("approvals with remarks"), null=True, blank=True
    )
    object_count = models.PositiveIntegerField(_("objections"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    result_hash = models.CharField(
        _("result hash"),
        max_length=64,
        blank=True,
        help_text=_("Hash of the ledger entry that closed the round."),
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")
        ordering = ["-opened_at", "-id"]
        indexes = [
            # close_rounds and the check on access: open rounds past their deadline.
            models.Index(fields=["status", "deadline"], name="voting_round_status_deadline"),
        ]
        constraints = [
            # A draft is voted on in one round at a time.
            models.UniqueConstraint(
                fields=["draft"],
                condition=Q(status="open"),
                name="voting_round_one_open_per_draft",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opened_at")),
                name="voting_round_deadline_after_opening",
            ),
            # A closed round has its whole result; an open one has none of it.
            models.CheckConstraint(
                condition=(
                    Q(status="open", closed_at__isnull=True, outcome="", turnout__isnull=True)
                    | Q(
                        status="closed",
                        closed_at__isnull=False,
                        turnout__isnull=False,
                        quorum_met__isnull=False,
                        approve_count__isnull=False,
                        approve_remarks_count__isnull=False,
                        object_count__isnull=False,
                        abstain_count__isnull=False,
                    )
                    & ~Q(outcome="")
                    & ~Q(result_hash="")
                ),
                name="voting_round_result_complete_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft.number} v{self.version.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        # The result is computed once; nothing may rewrite a closed round through the ORM.
        if self.pk and Round.objects.filter(pk=self.pk, status=self.Status.CLOSED).exists():
            raise ValidationError(_("A closed round cannot be changed."), code="round_closed")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("voting:detail", args=[self.pk])

    @property
    def rule_info(self) -> Rule:
        return RULES[self.rule]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_past_deadline(self, now=None) -> bool:
        return (now or timezone.now()) >= self.deadline


class RoundInvitation(models.Model):
    """An agency invited to vote in a round; the list is frozen when the round opens."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("round")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )

    class Meta:
        verbose_name = _("invited agency")
        verbose_name_plural = _("invited agencies")
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="voting_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.agency.code}"


class Vote(models.Model):
    """The current vote of one agency in one round. Every change is also kept in VoteChange."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="votes", verbose_name=_("round")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    choice = models.CharField(_("choice"), max_length=16, choices=Choice.choices)
    remarks = models.TextField(
        _("remarks"), blank=True, help_text=_("Required for every choice but a plain approval.")
    )
    article_wids = models.JSONField(
        _("articles referred to"),
        default=list,
        blank=True,
        help_text=_("Stable article ids (wId) of the version that the remarks point at."),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cast by"),
    )
    cast_at = models.DateTimeField(_("cast"))
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("1 for the first vote, +1 for each change.")
    )
    receipt_hash = models.CharField(
        _("receipt hash"), max_length=64, help_text=_("Hash of the ledger entry of this vote.")
    )
    receipt_signature = models.CharField(
        _("receipt signature"),
        max_length=128,
        help_text=_("Ed25519 signature of the receipt hash by the server, base64."),
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["round", "agency__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="voting_vote_one_per_agency"),
            models.CheckConstraint(
                condition=Q(choice="approve") | ~Q(remarks=""),
                name="voting_vote_remarks_unless_approve",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.agency.code} — {self.get_choice_display()}"


class VoteChange(models.Model):
    """One cast or change of an agency's vote, kept forever (the current one included)."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="vote_changes", verbose_name=_("round")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    revision = models.PositiveIntegerField(_("revision"))
    choice = models.CharField(_("choice"), max_length=16, choices=Choice.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    article_wids = models.JSONField(_("articles referred to"), default=list, blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cast by"),
    )
    cast_at = models.DateTimeField(_("cast"))
    receipt_hash = models.CharField(_("receipt hash"), max_length=64)
    receipt_signature = models.CharField(_("receipt signature"), max_length=128)

    class Meta:
        verbose_name = _("vote change")
        verbose_name_plural = _("vote changes")
        ordering = ["round", "agency", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "agency", "revision"], name="voting_votechange_unique_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.agency.code} #{self.revision}"


class LedgerHead(models.Model):
    """The single row that every append locks: the last sequence number and hash."""

    seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    last_hash = models.CharField(_("last entry hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.last_hash[:12]}"


class LedgerEntry(models.Model):
    """One append-only entry of the hash chain (round opened, vote cast or changed, round closed).

    entry_hash = SHA-256 of the canonical JSON of {seq, prev_hash, kind, round, agency, at, **data}
    (see voting/ledger.py). The first entry's prev_hash is 64 zeros.
    """

    class Kind(models.TextChoices):
        OPEN = "open", _("Round opened")
        VOTE = "vote", _("Vote cast or changed")
        CLOSE = "close", _("Round closed")

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name=_("round")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    at = models.DateTimeField(_("time"))
    data = models.JSONField(
        _("data"), help_text=_("The rest of the hashed entry: choice, remarks, result…")
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]
        indexes = [
            # The round's published ledger, in order.
            models.Index(fields=["round", "seq"], name="voting_ledger_round_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.entry_hash[:12]}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(_("Ledger entries are never changed."), code="ledger_immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries are never deleted."), code="ledger_immutable")

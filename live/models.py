from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft


class LiveStream(models.Model):
    """The per-draft event counter. Its row is locked to hand out the next sequence number."""

    draft = models.OneToOneField(
        Draft,
        on_delete=models.CASCADE,
        related_name="live_stream",
        verbose_name=_("draft"),
    )
    last_seq = models.PositiveBigIntegerField(
        _("last sequence number"),
        default=0,
        help_text=_("Sequence number of the newest event published for this draft."),
    )

    class Meta:
        verbose_name = _("live stream")
        verbose_name_plural = _("live streams")

    def __str__(self) -> str:
        return f"{self.draft_id} @ {self.last_seq}"


class LiveEvent(models.Model):
    """One change pushed to everyone watching a draft; replayed to clients that reconnect."""

    draft = models.ForeignKey(
        Draft,
        on_delete=models.CASCADE,
        related_name="live_events",
        verbose_name=_("draft"),
    )
    seq = models.PositiveBigIntegerField(
        _("sequence number"),
        help_text=_("Position of the event in its draft's stream: 1, 2, 3… without gaps."),
    )
    kind = models.CharField(
        _("kind"), max_length=64, help_text=_("What happened, e.g. 'comment.created'.")
    )
    data = models.JSONField(
        _("data"), default=dict, help_text=_("Public payload: what every viewer may see.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        ordering = ["draft", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "seq"], name="live_event_unique_seq"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="live_event_seq_gte_1"),
        ]
        # The unique constraint's index on (draft, seq) serves the replay query
        # "events of draft after seq, in order" (live.selectors.events_after); no second index.

    def __str__(self) -> str:
        return f"{self.draft_id}#{self.seq} {self.kind}"

    def as_message(self) -> dict:
        """The event as sent to clients: the same shape live and on replay."""
        return {"type": "event", "seq": self.seq, "kind": self.kind, "data": self.data}

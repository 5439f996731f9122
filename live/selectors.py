from django.db.models import QuerySet

from drafts.models import Draft
from live.models import LiveEvent, LiveStream


def last_seq(draft: Draft | int) -> int:
    """Sequence number of the newest event of the draft (0 before the first)."""
    draft_id = draft if isinstance(draft, int) else draft.pk
    value = LiveStream.objects.filter(draft_id=draft_id).values_list("last_seq", flat=True).first()
    return value or 0


def events_after(draft: Draft | int, seq: int, limit: int = 500) -> QuerySet[LiveEvent]:
    """At most `limit` events of the draft with a sequence number above `seq`, oldest first."""
    draft_id = draft if isinstance(draft, int) else draft.pk
    return LiveEvent.objects.filter(draft_id=draft_id, seq__gt=seq).order_by("seq")[:limit]

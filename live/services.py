import json
import logging
import re
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from drafts.models import Draft
from live import wire
from live.groups import draft_group
from live.models import LiveEvent, LiveStream

logger = logging.getLogger(__name__)

KIND_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


def event_publish(*, draft: Draft, kind: str, data: dict[str, Any]) -> LiveEvent:
    """Store the next event of the draft's stream and broadcast it once the caller commits.

    Must be called inside the caller's transaction (the one that makes the change the event
    describes), so the event exists exactly when the change does. The draft's stream row is
    locked with select_for_update, so sequence numbers have no gaps and no duplicates; a
    rolled-back transaction takes its number back and sends nothing. `data` is public: every
    viewer of the draft receives it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_publish() must be called inside the caller's transaction")
    if not KIND_RE.match(kind) or len(kind) > 64:
        raise ValidationError(_("Unknown kind of live event."), code="live_bad_kind")
    # A JSON round trip stores exactly what clients will be sent (dates become strings).
    clean = json.loads(wire.dumps(data))
    if not isinstance(clean, dict):
        raise ValidationError(_("Live event data must be an object."), code="live_bad_data")
    stream, _created = LiveStream.objects.select_for_update().get_or_create(draft=draft)
    stream.last_seq += 1
    stream.save(update_fields=["last_seq"])
    event = LiveEvent.objects.create(draft=draft, seq=stream.last_seq, kind=kind, data=clean)
    message = {
        "type": "live.event",
        "draft": draft.pk,
        "seq": event.seq,
        "text": wire.event_text(event),
    }
    transaction.on_commit(lambda: _broadcast(draft.pk, message))
    return event


def _broadcast(draft_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(draft_group(draft_id), message)
    except Exception:
        # The event is committed: viewers that miss it fetch it on their next resume.
        logger.exception("live: broadcast of draft %s seq %s failed", draft_id, message["seq"])

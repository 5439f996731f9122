import json
import logging
import re
from collections.abc import Callable
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


def event_publish(
    *,
    draft: Draft,
    kind: str,
    data: dict[str, Any],
    numbered: Callable[[], dict[str, Any]] | None = None,
) -> LiveEvent:
    """Store the next event of the draft's stream and broadcast it once the caller commits.

    Must be called inside the caller's transaction (the one that makes the change the event
    describes), so the event exists exactly when the change does. The draft's stream row is
    locked by the update that takes the number, so sequence numbers have no gaps and no
    duplicates; a rolled-back transaction takes its number back and sends nothing. `data` is
    public: every viewer of the draft receives it.

    `numbered`, if given, is called once the number is taken and its result is added to
    `data`: what must include every earlier event's change (counts, say) is read then, when
    every transaction with a lower number has committed. Keep it to a query or two, as it runs
    while the draft's counter is locked.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_publish() must be called inside the caller's transaction")
    if not KIND_RE.match(kind) or len(kind) > 64:
        raise ValidationError(_("Unknown kind of live event."), code="live_bad_kind")
    if not isinstance(data, dict):
        raise ValidationError(_("Live event data must be an object."), code="live_bad_data")
    # A JSON round trip stores exactly what clients will be sent (dates become strings). Done
    # before the number is taken: from then on, other writers to the draft wait for the commit.
    clean = json.loads(wire.dumps(data))
    seq = _next_seq(draft)
    if numbered is not None:
        clean.update(json.loads(wire.dumps(numbered())))
    event = _event_insert(LiveEvent(draft=draft, seq=seq, kind=kind, data=clean))
    message = {
        "type": "live.event",
        "draft": draft.pk,
        "seq": event.seq,
        "text": wire.event_text(event),
    }
    transaction.on_commit(lambda: _broadcast(draft.pk, message))
    return event


def _next_seq(draft: Draft) -> int:
    """Take the draft's next sequence number; its counter row stays locked until commit.

    One statement, so the lock that orders every write to the draft's stream is held for two
    round trips (this and the event's insert) before the commit, not four: in the comment flood
    that lock was where concurrent posts queued.
    """
    connection = transaction.get_connection()
    table = connection.ops.quote_name(LiveStream._meta.db_table)
    # The table name is the model's own, quoted; the only value is a query parameter.
    sql = f"UPDATE {table} SET last_seq = last_seq + 1 WHERE draft_id = %s RETURNING last_seq"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [draft.pk])
        row = cursor.fetchone()
    if row is None:  # the draft's first event: make its counter, then take from it
        LiveStream.objects.get_or_create(draft=draft)
        return _next_seq(draft)
    return row[0]


def _event_insert(event: LiveEvent) -> LiveEvent:
    """Insert the event with one statement of our own, while the counter row is locked.

    `Model.save()` built its INSERT anew each time, which was most of the time the lock was
    held for; the fields' own conversions still prepare the values (JSON, time zone).
    """
    connection = transaction.get_connection()
    fields = [LiveEvent._meta.get_field(name) for name in _EVENT_COLUMNS]
    values = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Names are the model's own, quoted; every value is a query parameter.
    sql = (
        f"INSERT INTO {quote(LiveEvent._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias
    return event


_EVENT_COLUMNS = ("draft", "seq", "kind", "data", "created_at")


def _broadcast(draft_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(draft_group(draft_id), message)
    except Exception:
        # The event is committed: viewers that miss it fetch it on their next resume.
        logger.exception("live: broadcast of draft %s seq %s failed", draft_id, message["seq"])

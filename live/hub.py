"""One subscription per process and draft, fanned out to that process's sockets.

A consumer per socket subscribed to the channel layer would cost one layer message, one
deserialisation and (in stock Channels) one thread hop per viewer per event. Instead each event
loop keeps one `DraftHub` per watched draft: it receives each event once, puts events back in
sequence order (two processes may publish seq 6 before seq 5 reaches Redis), fetches any
that went missing from the database, coalesces bursts into one pre-serialised frame, and hands
that same text to every local socket. No database access happens on this path.
"""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterable
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from live import selectors, wire
from live.frame import SharedText
from live.groups import draft_group

logger = logging.getLogger(__name__)

# Events arriving within this window go out as one frame; under load the window grows to the
# time the last fan-out took (up to COALESCE_MAX), so sending takes at most about half of the
# process and never falls behind: bursts become fewer, bigger frames instead of a queue.
COALESCE_MIN = 0.03
COALESCE_MAX = 0.25
# How long an out-of-order event waits for the ones before it before the hub asks the database,
# and how often it asks before it gives the missing numbers up (only a deleted draft does that).
GAP_WAIT = 0.2
GAP_TRIES = 25
# Sockets served before the fan-out lets the event loop run (write out, receive, reply).
YIELD_EVERY = 100
# Recent events kept in memory, so that clients reconnecting together resume without the database.
RECENT = 1000

Batch = list[tuple[int, str]]


class Frames:
    """One batch's frame for each viewer language, each serialised once when first asked for."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self._frames: dict[str | None, str] = {}

    def for_language(self, language: str | None) -> str:
        frame = self._frames.get(language)
        if frame is None:
            texts = [wire.localise(text, language) for _seq, text in self.batch]
            # Encoded to UTF-8 once here, not by Daphne once per socket (see SharedText).
            frame = self._frames[language] = SharedText(wire.batch_text(texts))
        return frame


class Listener(Protocol):
    async def deliver(self, batch: Batch, frames: Frames) -> None: ...


class DraftHub:
    def __init__(self, draft_id: int) -> None:
        self.draft_id = draft_id
        self.listeners: set[Listener] = set()
        self.last_seq = 0  # highest seq handed to the outbox, contiguous from the start
        self.pending: dict[int, str] = {}  # arrived early, waiting for the ones before
        self.outbox: Batch = []
        self.recent: deque[tuple[int, str]] = deque(maxlen=RECENT)
        self.window = COALESCE_MIN
        self._layer = get_channel_layer()
        self._channel = ""
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._gap_task: asyncio.Task | None = None
        self.started: asyncio.Future = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        # Subscribe first, then read the position: every later event then arrives live. The
        # layer queues what arrives meanwhile; events up to the position read are dropped.
        if self._layer is not None:
            self._channel = await self._layer.new_channel("live.hub.")
            await self._layer.group_add(draft_group(self.draft_id), self._channel)
        self.last_seq = await database_sync_to_async(selectors.last_seq)(self.draft_id)
        if self._layer is not None:
            self._tasks.append(asyncio.ensure_future(self._receive_loop()))
        self._tasks.append(asyncio.ensure_future(self._flush_loop()))

    async def stop(self) -> None:
        for task in [*self._tasks, self._gap_task, self.started]:
            if task is not None:
                task.cancel()
        if self._layer is not None and self._channel:
            try:
                await self._layer.group_discard(draft_group(self.draft_id), self._channel)
            except Exception:
                logger.exception("live: leaving group of draft %s failed", self.draft_id)

    async def _receive_loop(self) -> None:
        while True:
            message = await self._layer.receive(self._channel)
            if message.get("type") == "live.event":
                self.accept([(message["seq"], message["text"])])

    def accept(self, events: Iterable[tuple[int, str]]) -> None:
        """Take events in any order; queue those that continue the sequence."""
        for seq, text in events:
            if seq > self.last_seq:
                self.pending.setdefault(seq, text)
        while self.last_seq + 1 in self.pending:
            self.last_seq += 1
            event = (self.last_seq, self.pending.pop(self.last_seq))
            self.outbox.append(event)
            self.recent.append(event)
        if self.outbox:
            self._wakeup.set()
        if self.pending and self._gap_task is None:
            self._gap_task = asyncio.ensure_future(self._fill_gap())

    def recent_after(self, after: int) -> Batch | None:
        """The events after `after` up to `last_seq` from memory, or None if not all are there."""
        if after >= self.last_seq:
            return []
        if not self.recent or self.recent[0][0] > after + 1:
            return None
        return [event for event in self.recent if event[0] > after]

    async def _fill_gap(self) -> None:
        """Fetch from the database the events an early arrival is waiting for."""
        try:
            tries = 0
            while self.pending:
                # Under load an event is mostly just late, not lost: the process that published
                # it was busy fanning out, for about as long as our own window says. Asking the
                # database then only queued a query behind the posting requests in Django's one
                # sync thread (72 such queries in a 750-comment flood); wait that long as well.
                await asyncio.sleep(GAP_WAIT + 4 * (self.window - COALESCE_MIN))
                if not self.pending:
                    break
                missing = min(self.pending) - self.last_seq - 1
                tries += 1
                if tries > GAP_TRIES:
                    logger.warning("live: draft %s skips %s lost events", self.draft_id, missing)
                    self.last_seq += missing
                    tries = 0
                self.accept(await load_events(self.draft_id, self.last_seq, missing))
        finally:
            self._gap_task = None

    async def _flush_loop(self) -> None:
        while True:
            await self._wakeup.wait()
            await asyncio.sleep(self.window)
            self._wakeup.clear()
            batch, self.outbox = self.outbox, []
            if not batch:
                continue
            frames = Frames(batch)
            started = time.monotonic()
            for count, listener in enumerate(list(self.listeners), 1):
                if listener not in self.listeners:
                    continue  # left while the loop ran, below
                try:
                    await listener.deliver(batch, frames)
                except Exception:
                    logger.exception("live: delivery to a socket failed")
                if count % YIELD_EVERY == 0:
                    # A send only fills Twisted's buffer; the bytes leave when the loop runs.
                    # Without this the loop was held for the whole fan-out (2,500 sockets:
                    # 0.3 s or more in the flood), so nothing reached the first viewers until
                    # the last was served, and the Redis receive and the posting requests'
                    # replies waited too. Order is unaffected: each socket still gets its
                    # batches in sequence (the consumer drops what it already has by seq).
                    await asyncio.sleep(0)
            spent = time.monotonic() - started
            self.window = min(COALESCE_MAX, max(COALESCE_MIN, spent))


@database_sync_to_async
def load_events(draft_id: int, after: int, limit: int) -> Batch:
    """Events of the draft after `after` as (seq, serialised text), oldest first."""
    return [
        (event.seq, wire.event_text(event))
        for event in selectors.events_after(draft_id, after, limit=max(limit, 1))
    ]


_hubs: dict[asyncio.AbstractEventLoop, dict[int, DraftHub]] = {}


async def hub_join(draft_id: int, listener: Listener) -> DraftHub:
    """The hub of this event loop for the draft, started if needed, with `listener` added."""
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = hubs.get(draft_id)
    if hub is None:
        hub = hubs[draft_id] = DraftHub(draft_id)
    hub.listeners.add(listener)
    try:
        await asyncio.shield(hub.started)
    except Exception:
        hub.listeners.discard(listener)
        if hubs.get(draft_id) is hub:
            del hubs[draft_id]
        raise
    return hub


async def hub_leave(hub: DraftHub, listener: Listener) -> None:
    hub.listeners.discard(listener)
    if hub.listeners:
        return
    loop = asyncio.get_running_loop()
    hubs = _hubs.get(loop, {})
    if hubs.get(hub.draft_id) is hub:
        del hubs[hub.draft_id]
    if not hubs:
        _hubs.pop(loop, None)
    await hub.stop()

import json
import logging
from urllib.parse import parse_qs

from autobahn.exception import Disconnected
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from drafts.models import Draft
from drafts.permissions import can_view_draft
from live import wire
from live.hub import Batch, DraftHub, Frames, hub_join, hub_leave, load_events

logger = logging.getLogger(__name__)

MAX_FRAME = 4096  # bytes a client may send in one frame
REPLAY_PAGE = 500

# Close codes (4000-4999 are free for applications).
CLOSE_BAD_FRAME = 4400  # oversized, binary, malformed or unknown frame
CLOSE_NOT_FOUND = 4404  # no such draft, or not visible to this user: the same answer for both


# Drafts known to be public. A draft that left drafting never returns to it and anyone may view
# it, so this process can answer for them without asking the database on every connect.
_public_drafts: set[int] = set()


async def may_listen(user, draft_id: int) -> bool:
    return draft_id in _public_drafts or await _may_listen(user, draft_id)


@database_sync_to_async
def _may_listen(user, draft_id: int) -> bool:
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is None:
        return False
    if can_view_draft(AnonymousUser(), draft):
        _public_drafts.add(draft_id)
        return True
    return can_view_draft(user, draft)


def _parse_seq(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    if type(value) is int and 0 <= value < 2**63:
        return value
    return None


class DraftLiveConsumer(AsyncWebsocketConsumer):
    """The live event stream of one draft, at ws/drafts/<draft_id>/.

    Permission is checked on connect (and again on resume); after that the socket only
    receives public event data, so the per-event path has no database access: the process's
    `DraftHub` hands every socket the same pre-serialised frame. Sequence numbers make
    delivery exactly-once and in order: `last_sent` is the highest seq this socket has had;
    while a replay from the database runs, live batches wait in `backlog`.
    """

    # Sockets do not get a channel of their own: the hub holds the one subscription per draft.
    channel_layer_alias = None

    hub: DraftHub | None = None
    language: str | None = None  # None: events as stored, with every language's fragment

    async def connect(self) -> None:
        self.draft_id = int(self.scope["url_route"]["kwargs"]["draft_id"])
        self.last_sent = 0
        self.replaying = False
        self.backlog: Batch = []
        # Accept first so that a refused browser sees the close code, not a bare HTTP 403.
        await self.accept()
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        language = query.get("lang", [""])[0]
        self.language = language if language in dict(settings.LANGUAGES) else None
        resume_from = None
        if "last_seq" in query:
            resume_from = _parse_seq(query["last_seq"][0])
            if resume_from is None:
                await self.close(code=CLOSE_BAD_FRAME)
                return
        if not await may_listen(self.scope.get("user"), self.draft_id):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        # Join before reading the database: whatever commits after the read arrives live.
        self.hub = await hub_join(self.draft_id, self)
        if resume_from is None:
            self.last_sent = self.hub.last_seq
            await self._send_ready()
        else:
            await self.replay(resume_from)

    async def disconnect(self, code: int) -> None:
        if self.hub is not None:
            hub, self.hub = self.hub, None
            await hub_leave(hub, self)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message = self._parse(text_data) if bytes_data is None else None
        if message is None:
            await self.close(code=CLOSE_BAD_FRAME)
        elif message["type"] == "ping":
            await self.send_text('{"type":"pong"}')
        elif self.hub is not None and not self.replaying:
            if await may_listen(self.scope.get("user"), self.draft_id):
                await self.replay(message["last_seq"])
            else:
                await self.close(code=CLOSE_NOT_FOUND)

    def _parse(self, text: str | None) -> dict | None:
        """The client's frame if it is well-formed: resume with a seq, or ping."""
        if text is None or len(text) > MAX_FRAME or len(text.encode()) > MAX_FRAME:
            return None
        try:
            message = json.loads(text)
        except ValueError:
            return None
        if not isinstance(message, dict):
            return None
        if message.get("type") == "ping":
            return message
        if message.get("type") == "resume" and _parse_seq(message.get("last_seq")) is not None:
            return message
        return None

    async def replay(self, after: int) -> None:
        """Send every stored event after `after`, then what arrived live meanwhile."""
        self.replaying = True
        try:
            recent = self.hub.recent_after(after) if self.hub is not None else None
            if recent is not None:
                if recent:
                    await self.send_text(self._frame(recent))
                    after = recent[-1][0]
                after = max(after, self.hub.last_seq)
            while recent is None:
                events = await load_events(self.draft_id, after, REPLAY_PAGE)
                if events:
                    await self.send_text(self._frame(events))
                    after = events[-1][0]
                if len(events) < REPLAY_PAGE:
                    break
            self.last_sent = max(self.last_sent, after)
            while self.backlog:
                backlog, self.backlog = self.backlog, []
                await self._send_new(backlog, None)
        finally:
            self.replaying = False
        await self._send_ready()

    async def deliver(self, batch: Batch, frames: Frames) -> None:
        """Called by the hub with consecutive events and their ready-made frame."""
        if self.replaying:
            self.backlog.extend(batch)
        elif batch[0][0] > self.last_sent + 1:
            # Cannot happen while the hub keeps order; if it does, the database fills the hole.
            self.backlog.extend(batch)
            await self.replay(self.last_sent)
        else:
            await self._send_new(batch, frames)

    async def _send_new(self, batch: Batch, frames: Frames | None) -> None:
        if batch[-1][0] <= self.last_sent:
            return
        if frames is not None and batch[0][0] > self.last_sent:
            frame = frames.for_language(self.language)  # the common case: shared, ready-made
        else:
            frame = self._frame([event for event in batch if event[0] > self.last_sent])
        self.last_sent = batch[-1][0]
        await self.send_text(frame)

    def _frame(self, events: Batch) -> str:
        return wire.batch_text([wire.localise(text, self.language) for _seq, text in events])

    async def _send_ready(self) -> None:
        await self.send_text(wire.dumps({"type": "ready", "last_seq": self.last_sent}))

    async def send_text(self, text: str) -> None:
        try:
            await self.base_send({"type": "websocket.send", "text": text})
        except Disconnected:
            # Under Daphne a socket can close between a hub's fan-out and the disconnect reaching
            # this consumer; its websocket.disconnect follows and takes it out of the hub.
            logger.debug("live: socket of draft %s closed during a send", self.draft_id)

"""The draft's websocket, through the full ASGI stack: listening, resuming and refusals."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from autobahn.exception import Disconnected
from django.db import transaction

from live.consumers import DraftLiveConsumer
from live.hub import Frames
from live.services import event_publish
from live.testing import run_async

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def publish(draft, count: int = 1, kind: str = "comment.created") -> list[int]:
    with transaction.atomic():
        return [event_publish(draft=draft, kind=kind, data={"n": n}).seq for n in range(count)]


async def receive_events(communicator, count: int, timeout: float = 2) -> list[dict]:
    """Read frames until `count` events have arrived; batches are unpacked."""
    events: list[dict] = []
    while len(events) < count:
        frame = json.loads(await communicator.receive_from(timeout=timeout))
        if frame["type"] == "batch":
            events.extend(frame["events"])
        elif frame["type"] == "event":
            events.append(frame)
    return events


async def receive_type(communicator, kind: str) -> dict:
    frame = json.loads(await communicator.receive_from())
    assert frame["type"] == kind, frame
    return frame


async def assert_closed_with(communicator, code: int) -> None:
    output = await communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": code}


def test_anonymous_viewer_of_a_public_draft_receives_new_events(make_draft, open_socket):
    draft = make_draft(discussion=True)

    async def scenario():
        socket = await open_socket(draft.pk)
        assert socket.accepted
        assert (await receive_type(socket, "ready"))["last_seq"] == 0
        await publish(draft, 1)
        [event] = await receive_events(socket, 1)
        assert event == {"type": "event", "seq": 1, "kind": "comment.created", "data": {"n": 0}}
        await socket.disconnect()

    run_async(scenario)


def test_signed_in_viewer_starts_at_the_current_sequence(
    make_draft, open_socket, cookie_for, citizen
):
    draft = make_draft(discussion=True)
    cookie = cookie_for(citizen)

    async def scenario():
        await publish(draft, 3)
        socket = await open_socket(draft.pk, cookie=cookie)
        assert (await receive_type(socket, "ready"))["last_seq"] == 3
        await publish(draft, 1)
        assert [e["seq"] for e in await receive_events(socket, 1)] == [4]
        assert await socket.receive_nothing()
        await socket.disconnect()

    run_async(scenario)


def test_burst_arrives_coalesced_in_order_exactly_once(make_draft, open_socket):
    draft = make_draft(discussion=True)

    async def scenario():
        socket = await open_socket(draft.pk)
        await receive_type(socket, "ready")
        for _ in range(5):
            await publish(draft, 6)
        frames = []
        events = []
        while len(events) < 30:
            frame = json.loads(await socket.receive_from())
            frames.append(frame)
            events.extend(frame["events"] if frame["type"] == "batch" else [frame])
        assert [e["seq"] for e in events] == list(range(1, 31))
        assert len(frames) < 30  # bursts share frames
        assert await socket.receive_nothing()
        await socket.disconnect()

    run_async(scenario)


def test_resume_by_query_gets_exactly_the_missed_events_then_live_ones(make_draft, open_socket):
    draft = make_draft(discussion=True)

    async def scenario():
        await publish(draft, 7)
        socket = await open_socket(draft.pk, query="last_seq=4")
        assert [e["seq"] for e in await receive_events(socket, 3)] == [5, 6, 7]
        assert (await receive_type(socket, "ready"))["last_seq"] == 7
        await publish(draft, 2)
        assert [e["seq"] for e in await receive_events(socket, 2)] == [8, 9]
        assert await socket.receive_nothing()
        await socket.disconnect()

    run_async(scenario)


def test_resume_message_replays_from_the_clients_number(make_draft, open_socket):
    draft = make_draft(discussion=True)

    async def scenario():
        await publish(draft, 5)
        socket = await open_socket(draft.pk)
        await receive_type(socket, "ready")
        await socket.send_to(text_data=json.dumps({"type": "resume", "last_seq": 2}))
        assert [e["seq"] for e in await receive_events(socket, 3)] == [3, 4, 5]
        assert (await receive_type(socket, "ready"))["last_seq"] == 5
        await socket.disconnect()

    run_async(scenario)


def test_long_absence_is_replayed_in_pages_without_loss(make_draft, open_socket, monkeypatch):
    monkeypatch.setattr("live.consumers.REPLAY_PAGE", 4)
    draft = make_draft(discussion=True)

    async def scenario():
        await publish(draft, 10)
        socket = await open_socket(draft.pk, query="last_seq=0")
        assert [e["seq"] for e in await receive_events(socket, 10)] == list(range(1, 11))
        await receive_type(socket, "ready")
        await socket.disconnect()

    run_async(scenario)


def test_events_published_during_a_replay_are_sent_once_after_it(
    make_draft, open_socket, monkeypatch
):
    """The race between replay and live: what arrives live meanwhile waits, duplicates go."""
    from live import consumers

    draft = make_draft(discussion=True)
    real_load = consumers.load_events

    async def slow_load(draft_id, after, limit):
        # 4 and 5 arrive live while the replay runs and are also in what it reads (duplicates);
        # 6 arrives live after the read, so only the live path has it.
        await publish(draft, 2)
        await asyncio.sleep(0.2)
        events = await real_load(draft_id, after, limit)
        await publish(draft, 1)
        await asyncio.sleep(0.2)
        return events

    monkeypatch.setattr(consumers, "load_events", slow_load)

    async def scenario():
        await publish(draft, 3)
        socket = await open_socket(draft.pk, query="last_seq=1")
        events = await receive_events(socket, 5)
        assert [e["seq"] for e in events] == [2, 3, 4, 5, 6]
        assert (await receive_type(socket, "ready"))["last_seq"] == 6
        assert await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()

    run_async(scenario)


def test_events_lost_between_processes_are_fetched_from_the_database(
    make_draft, open_socket, monkeypatch
):
    """Seq 2 never reaches this process (or reaches it late): the hub asks the database."""
    draft = make_draft(discussion=True)

    async def scenario():
        socket = await open_socket(draft.pk)
        await receive_type(socket, "ready")
        broadcast = __import__("live.services", fromlist=["_broadcast"])._broadcast
        monkeypatch.setattr("live.services._broadcast", lambda draft_id, message: None)
        await publish(draft, 1)  # seq 1 stored, never broadcast
        monkeypatch.setattr("live.services._broadcast", broadcast)
        await publish(draft, 1)  # seq 2 arrives first
        assert [e["seq"] for e in await receive_events(socket, 2)] == [1, 2]
        await socket.disconnect()

    run_async(scenario)


def test_agency_member_may_listen_to_a_draft_still_in_drafting(
    make_draft, open_socket, cookie_for, agency_voter
):
    draft = make_draft()
    cookie = cookie_for(agency_voter)

    async def scenario():
        socket = await open_socket(draft.pk, cookie=cookie)
        await receive_type(socket, "ready")
        await socket.disconnect()

    run_async(scenario)


@pytest.mark.parametrize("persona", ["outsider", "citizen", "other_editor"])
def test_draft_in_drafting_is_refused_to_the_public(
    make_draft, open_socket, cookie_for, persona, request
):
    draft = make_draft()
    user = request.getfixturevalue(persona)
    cookie = cookie_for(user) if user.is_authenticated else None

    async def scenario():
        socket = await open_socket(draft.pk, cookie=cookie)
        await assert_closed_with(socket, 4404)

    run_async(scenario)


def test_unknown_draft_is_refused_like_a_hidden_one(db, open_socket):
    async def scenario():
        socket = await open_socket(999999)
        await assert_closed_with(socket, 4404)

    run_async(scenario)


@pytest.mark.parametrize(
    "origin", [b"http://evil.example", b"https://testserver.evil.example", b"null"]
)
def test_foreign_origin_is_refused_before_the_socket_opens(make_draft, open_socket, origin):
    draft = make_draft(discussion=True)

    async def scenario():
        socket = await open_socket(draft.pk, origin=origin)
        assert not socket.accepted

    run_async(scenario)


def test_malformed_resume_number_in_the_query_closes_the_socket(make_draft, open_socket):
    draft = make_draft(discussion=True)

    async def scenario():
        socket = await open_socket(draft.pk, query="last_seq=-1")
        await assert_closed_with(socket, 4400)

    run_async(scenario)


BAD_FRAMES = {
    "oversized": {"text_data": json.dumps({"type": "resume", "last_seq": 0, "pad": "x" * 5000})},
    "oversized_multibyte": {
        "text_data": json.dumps({"type": "ping", "p": "ў" * 2100}, ensure_ascii=False)
    },
    "not_json": {"text_data": "{resume"},
    "not_an_object": {"text_data": "[1, 2]"},
    "unknown_type": {"text_data": '{"type": "subscribe", "draft": 2}'},
    "negative_seq": {"text_data": '{"type": "resume", "last_seq": -5}'},
    "boolean_seq": {"text_data": '{"type": "resume", "last_seq": true}'},
    "huge_seq": {"text_data": '{"type": "resume", "last_seq": 1e400}'},
    "binary": {"bytes_data": b"\x00\x01"},
    "nul_bytes": {"text_data": '{"type": "resume\\u0000", "last_seq": 0}'},
}


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
def test_bad_frame_closes_that_socket_and_no_other(make_draft, open_socket, frame):
    draft = make_draft(discussion=True)

    async def scenario():
        victim = await open_socket(draft.pk)
        bystander = await open_socket(draft.pk)
        await receive_type(victim, "ready")
        await receive_type(bystander, "ready")
        await victim.send_to(**frame)
        await assert_closed_with(victim, 4400)
        await publish(draft, 1)
        assert [e["seq"] for e in await receive_events(bystander, 1)] == [1]
        await bystander.send_to(text_data='{"type": "ping"}')
        await receive_type(bystander, "pong")
        await bystander.disconnect()

    run_async(scenario)


def test_frame_of_exactly_the_limit_is_accepted(make_draft, open_socket):
    draft = make_draft(discussion=True)
    text = '{"type": "ping", "pad": "' + "x" * 4000
    text += " " * (4096 - len(text) - 2) + '"}'
    assert len(text) == 4096

    async def scenario():
        socket = await open_socket(draft.pk)
        await receive_type(socket, "ready")
        await socket.send_to(text_data=text)
        await receive_type(socket, "pong")
        await socket.disconnect()

    run_async(scenario)


def test_reconnecting_viewers_resume_from_memory_without_the_database(
    make_draft, open_socket, monkeypatch
):
    """A viewer that stays connected keeps the draft's recent events in the process."""
    from live import consumers

    draft = make_draft(discussion=True)

    async def scenario():
        stayer = await open_socket(draft.pk)
        await receive_type(stayer, "ready")
        await publish(draft, 5)
        await receive_events(stayer, 5)

        async def no_database(*args):
            raise AssertionError("resumed from the database")

        monkeypatch.setattr(consumers, "load_events", no_database)
        monkeypatch.setattr(consumers, "_may_listen", no_database)  # public: known already
        comer = await open_socket(draft.pk, query="last_seq=2")
        assert [e["seq"] for e in await receive_events(comer, 3)] == [3, 4, 5]
        assert (await receive_type(comer, "ready"))["last_seq"] == 5
        await publish(draft, 1)
        assert [e["seq"] for e in await receive_events(comer, 1)] == [6]
        await comer.disconnect()
        await stayer.disconnect()

    run_async(scenario)


def test_events_arriving_out_of_order_are_sent_in_order(make_draft, open_socket, monkeypatch):
    """Two processes may publish seq 2 before seq 1 reaches Redis; viewers still get 1, 2."""
    from channels.layers import get_channel_layer

    from live import wire
    from live.groups import draft_group
    from live.models import LiveEvent

    draft = make_draft(discussion=True)
    monkeypatch.setattr("live.hub.GAP_WAIT", 5)  # the database must not be what fixes it

    async def scenario():
        socket = await open_socket(draft.pk)
        await receive_type(socket, "ready")
        monkeypatch.setattr("live.services._broadcast", lambda draft_id, message: None)
        await publish(draft, 2)
        layer = get_channel_layer()
        for seq in (2, 1):
            event = await LiveEvent.objects.aget(draft=draft, seq=seq)
            await layer.group_send(
                draft_group(draft.pk),
                {
                    "type": "live.event",
                    "draft": draft.pk,
                    "seq": seq,
                    "text": wire.event_text(event),
                },
            )
        assert [e["seq"] for e in await receive_events(socket, 2)] == [1, 2]
        assert await socket.receive_nothing(timeout=0.2)
        await socket.disconnect()

    run_async(scenario)


def test_a_socket_that_closed_under_a_fan_out_is_skipped_without_an_error(caplog):
    async def closed(message):
        raise Disconnected("Attempt to send on a closed protocol")

    consumer = DraftLiveConsumer()
    consumer.base_send = closed
    consumer.draft_id, consumer.last_sent, consumer.replaying, consumer.backlog = 7, 0, False, []
    batch = [(1, '{"type":"event","seq":1,"kind":"comment.created","data":{}}')]

    async def fan_out() -> None:
        await consumer.deliver(batch, Frames(batch))

    run_async(fan_out)

    assert consumer.last_sent == 1  # the hub moves on; the disconnect message ends the socket
    assert [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")] == []

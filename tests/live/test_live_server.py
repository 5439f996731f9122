"""`live.server`: the direct write of shared frames under a real Daphne, with a slow reader.

A viewer that stops reading fills the kernel's buffers; the server must then queue the rest of
each frame, and every later one, behind what is waiting, and never write a frame into the
middle of another. These tests read the raw bytes off the socket and parse the frames
themselves, so a frame written out of turn shows up as garbage or a sequence out of order.
"""

import base64
import hashlib
import json
import os
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import websockets

from discussions.models import Comment
from discussions.services import comment_create
from live.testing import run_async
from tests.live.test_live_daphne import read_events, read_ready, ws_url

pytestmark = pytest.mark.django_db(transaction=True)

WEBSOCKET_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SMALL_RECEIVE_BUFFER = 4096  # the kernel doubles it; still far below what is sent
BODY_LENGTH = 5000  # the longest comment allowed
UNREAD_COMMENTS = 200  # published while the viewer reads nothing
READ_COMMENTS = 40  # published while the viewer drains its backlog


class RawWebsocket:
    """A websocket client on a plain socket: it reads only when told to, and checks each
    frame byte by byte (a server frame is final, unmasked, without extensions)."""

    def __init__(self, base_url: str, path: str) -> None:
        parts = urlsplit(base_url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Set before connect, so the window the server sees is small from the first byte.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RECEIVE_BUFFER)
        self.sock.settimeout(10)
        self.sock.connect((parts.hostname, parts.port))
        self.buffer = b""
        self.parsed = 0  # bytes of the frames read so far
        key = base64.b64encode(os.urandom(16))
        self.sock.sendall(
            f"GET {path} HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key.decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            f"Origin: {base_url}\r\n\r\n".encode()
        )
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status, *header_lines = head.decode("latin-1").split("\r\n")
        assert status.startswith("HTTP/1.1 101"), head
        headers = {
            name.lower(): value for name, value in (line.split(": ", 1) for line in header_lines)
        }
        accept = base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID).digest()).decode()  # noqa: S324
        assert headers["sec-websocket-accept"] == accept
        assert "sec-websocket-extensions" not in headers  # none offered: frames are plain

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def _take(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        taken, self.buffer = self.buffer[:n], self.buffer[n:]
        return taken

    def read_message(self) -> dict:
        first, second = self._take(2)
        assert first == 0x81, f"not a final text frame without extensions: {first:#04x}"
        assert not second & 0x80, "a server frame must not be masked"
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(self._take(2))
            assert length >= 126, "the 16-bit length form for a short frame"
        elif length == 127:
            length = int.from_bytes(self._take(8))
            assert length >= 1 << 16, "the 64-bit length form for a shorter frame"
            assert length < 1 << 26, f"no frame here is {length:,} bytes long"
        message = json.loads(self._take(length).decode("utf-8"))
        self.parsed += length
        return message

    def read_events(self, count: int) -> list[tuple[dict, int]]:
        """`count` events, each with the bytes read up to the end of its frame."""
        events: list[tuple[dict, int]] = []
        while len(events) < count:
            message = self.read_message()
            if message["type"] == "batch":
                events.extend((event, self.parsed) for event in message["events"])
            elif message["type"] == "event":
                events.append((message, self.parsed))
        return events

    def read_ready(self) -> dict:
        while (message := self.read_message())["type"] != "ready":
            pass
        return message

    def close(self) -> None:
        self.sock.close()


def long_body(n: int) -> str:
    """A distinct comment of the longest allowed length, tagged with its number; in Cyrillic
    (two bytes a letter) each event is about 30 kB: the fragment in three languages."""
    tag = f"Fikr-{n:04d}. "
    filler = "Ўзбекистон Республикасининг қонуни кучга киради. "
    return (tag + filler * (BODY_LENGTH // len(filler) + 1))[:BODY_LENGTH]


def kernel_capacity() -> int:
    """Bytes a loopback connection takes from a server before its send blocks, when the
    client has the same small receive buffer and reads nothing."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.socket()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RECEIVE_BUFFER)
        client.connect(listener.getsockname())
        server, _address = listener.accept()
        with client, server:
            server.setblocking(False)
            total = 0
            try:
                while True:
                    total += server.send(b"x" * 65536)
            except BlockingIOError:
                return total


@pytest.mark.services
def test_a_viewer_that_stops_reading_gets_every_event_once_in_order_and_intact(
    require_services, make_draft, citizen, cookie_for, daphne_servers, post_comment
):
    """Comments posted through live.server's own form reach its viewer while the viewer reads
    nothing, then while it catches up: each event arrives once, in order, whole."""
    draft = make_draft(discussion=True)
    [url] = daphne_servers(1)
    cookie = cookie_for(citizen)

    def post(n: int) -> None:
        assert post_comment(url, cookie, draft.pk, long_body(n)) == 200

    viewer = RawWebsocket(url, f"/ws/drafts/{draft.pk}/")  # no ?lang=: every language
    try:
        start = viewer.read_ready()["last_seq"]
        started = time.monotonic()
        # The viewer reads nothing now: its buffers fill and Daphne queues the rest.
        for n in range(UNREAD_COMMENTS):
            post(n)
        published = time.monotonic()
        # Then it drains the backlog while more arrive: now the kernel has room while older
        # bytes still wait in Twisted's buffer, where a frame must not jump the queue.
        total = UNREAD_COMMENTS + READ_COMMENTS
        events: list[tuple[dict, int]] = []
        failure: list[BaseException] = []

        def read_all() -> None:
            try:
                events.extend(viewer.read_events(total))
            except BaseException as error:
                failure.append(error)

        reader = threading.Thread(target=read_all)
        reader.start()
        for n in range(UNREAD_COMMENTS, total):
            post(n)
        reader.join(timeout=30)
        assert not reader.is_alive(), f"{len(events)} of {total} events arrived"
        if failure:
            raise failure[0]
    finally:
        viewer.close()
    unread_bytes = events[UNREAD_COMMENTS - 1][1]
    capacity = kernel_capacity()
    print(
        f"{unread_bytes:,} bytes sent unread (the kernel holds {capacity:,}), "
        f"{viewer.parsed:,} in all; published unread in {published - started:.1f} s, "
        f"all read in {time.monotonic() - started:.1f} s"
    )
    comment_ids = list(
        Comment.objects.filter(draft=draft)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
    assert len(comment_ids) == total
    assert [event["seq"] for event, _ in events] == list(range(start + 1, start + total + 1))
    assert [event["data"]["comment_id"] for event, _ in events] == comment_ids
    bodies = dict(Comment.objects.filter(pk__in=comment_ids).values_list("pk", "body_html"))
    for event, _ in events:
        assert event["kind"] == "comment.created"
        assert set(event["data"]["html"]) == {"uz", "ru", "en"}
        for html in event["data"]["html"].values():
            assert bodies[event["data"]["comment_id"]] in html  # all 5,000 characters
    # Far more than the kernel's buffers hold was sent while nothing was read, so most of it
    # waited in Daphne's own buffer (as partial direct writes and queued frames).
    assert unread_bytes > 2 * capacity


def test_messages_for_one_socket_still_go_through_daphne(make_draft, citizen, daphne_servers):
    """A pong and replays are made for one socket, not shared: live.server leaves them to
    Daphne, and they arrive as before."""
    draft = make_draft(discussion=True)
    for n in range(3):
        comment_create(draft=draft, author=citizen, body=f"Fikr {n}")
    [url] = daphne_servers(1)

    async def scenario():
        async with websockets.connect(ws_url(url, draft.pk), origin=url) as socket_:
            last_seq = (await read_ready(socket_))["last_seq"]
            await socket_.send('{"type":"ping"}')
            assert json.loads(await socket_.recv()) == {"type": "pong"}
            await socket_.send(json.dumps({"type": "resume", "last_seq": last_seq - 2}))
            replayed = await read_events(socket_, 2)
            assert [e["seq"] for e in replayed] == [last_seq - 1, last_seq]
            assert "Fikr 2" in replayed[-1]["data"]["html"]["en"]
            assert (await read_ready(socket_))["last_seq"] == last_seq
        resume_url = ws_url(url, draft.pk, f"?last_seq={last_seq - 3}")
        async with websockets.connect(resume_url, origin=url) as back:
            replayed = await read_events(back, 3)
            assert [e["seq"] for e in replayed] == [last_seq - 2, last_seq - 1, last_seq]
            assert (await read_ready(back))["last_seq"] == last_seq

    run_async(scenario)

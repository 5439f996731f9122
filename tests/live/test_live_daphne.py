"""The real ASGI app under real Daphne processes, with a real websocket client."""

import asyncio
import json

import pytest
import websockets

from live.testing import run_async

pytestmark = pytest.mark.django_db(transaction=True)


async def read_events(socket, count: int, timeout: float = 10) -> list[dict]:
    events: list[dict] = []
    async with asyncio.timeout(timeout):
        while len(events) < count:
            frame = json.loads(await socket.recv())
            if frame["type"] == "batch":
                events.extend(frame["events"])
            elif frame["type"] == "event":
                events.append(frame)
    return events


async def read_ready(socket) -> dict:
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == "ready":
                return frame


def ws_url(base_url: str, draft_pk: int, query: str = "") -> str:
    return base_url.replace("http://", "ws://") + f"/ws/drafts/{draft_pk}/" + query


def test_comment_posted_through_the_form_reaches_a_viewer_under_daphne(
    make_draft, citizen, cookie_for, daphne_servers, post_comment
):
    draft = make_draft(discussion=True)
    [url] = daphne_servers(1)
    cookie = cookie_for(citizen)

    async def scenario():
        async with websockets.connect(ws_url(url, draft.pk), origin=url) as socket:
            await read_ready(socket)
            status = await asyncio.to_thread(post_comment, url, cookie, draft.pk, "Salom, dunyo!")
            assert status == 200
            [event] = await read_events(socket, 1)
            assert event["kind"] == "comment.created"
            assert "Salom, dunyo!" in event["data"]["html"]["en"]

    run_async(scenario)


def test_foreign_origin_is_refused_by_daphne(make_draft, daphne_servers):
    draft = make_draft(discussion=True)
    [url] = daphne_servers(1)

    async def scenario():
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(ws_url(url, draft.pk), origin="http://evil.example"):
                pass
        assert refused.value.response.status_code == 403

    run_async(scenario)


@pytest.mark.services
def test_comment_posted_through_one_process_reaches_a_viewer_on_another(
    require_services, make_draft, citizen, cookie_for, daphne_servers, post_comment
):
    draft = make_draft(discussion=True)
    a_url, b_url = daphne_servers(2)
    cookie = cookie_for(citizen)

    async def scenario():
        async with (
            websockets.connect(ws_url(a_url, draft.pk), origin=a_url) as on_a,
            websockets.connect(ws_url(b_url, draft.pk), origin=b_url) as on_b,
        ):
            await read_ready(on_a)
            await read_ready(on_b)
            for n in range(5):
                status = await asyncio.to_thread(
                    post_comment, b_url, cookie, draft.pk, f"Comment {n} via B"
                )
                assert status == 200
            events_a = await read_events(on_a, 5)
            events_b = await read_events(on_b, 5)
            assert [e["seq"] for e in events_a] == [1, 2, 3, 4, 5]
            assert [e["seq"] for e in events_b] == [1, 2, 3, 4, 5]
            assert "Comment 4 via B" in events_a[-1]["data"]["html"]["en"]
        # A viewer of A that was away resumes from seq 2 and gets exactly 3, 4, 5.
        async with websockets.connect(ws_url(a_url, draft.pk, "?last_seq=2"), origin=a_url) as back:
            assert [e["seq"] for e in await read_events(back, 3)] == [3, 4, 5]
            assert (await read_ready(back))["last_seq"] == 5

    run_async(scenario)

"""The live who-has-voted feed over /ws/rounds/<id>/."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from drafts.models import Draft
from sovaz.asgi import application
from tests.conftest import client_for
from voting import services

# Channels closes "old" connections around each database call of a consumer; inside a test's
# transaction that would close the test's own connection (on PostgreSQL), so commit for real.
pytestmark = pytest.mark.usefixtures("transactional_db")


def run_async(scenario):
    """Run a coroutine function in a thread of its own: the session's Playwright browser keeps
    an event loop running in the main thread, where a second loop cannot start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=30)


def _headers(user, origin: bytes = b"http://testserver") -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if user is not None:
        session = client_for(user).cookies["sessionid"].value
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return headers


def _connect(round_id: int, user, origin: bytes = b"http://testserver"):
    headers = _headers(user, origin)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/rounds/{round_id}/", headers=headers
        )
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return run_async(run)


def test_who_voted_is_sent_live_without_choices_or_remarks(
    open_round, other_agency, other_voter, citizen, django_capture_on_commit_callbacks
):
    voting_round = open_round()

    def cast():
        with django_capture_on_commit_callbacks(execute=True):
            services.vote_cast(
                voting_round=voting_round,
                agency=other_agency,
                actor=other_voter,
                choice="object",
                remarks="Hidden until close",
            )

    headers = _headers(citizen)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/rounds/{voting_round.pk}/", headers=headers
        )
        connected, _code = await communicator.connect()
        assert connected
        first = await communicator.receive_json_from()
        await database_sync_to_async(cast)()
        second = await communicator.receive_json_from()
        await communicator.disconnect()
        return first, second

    first, second = run_async(run)
    assert first["state"]["voted_count"] == 0
    assert second["type"] == "round.state"
    assert second["state"]["voted_count"] == 1
    voted = {a["code"]: a["voted"] for a in second["state"]["agencies"]}
    assert voted == {"minfin": True, "mindigital": False}
    text = json.dumps(second)
    assert "object" not in text and "Hidden until close" not in text
    assert "result" not in second["state"]


def test_the_close_publishes_the_result(
    open_round,
    other_agency,
    other_voter,
    secretariat,
    citizen,
    django_capture_on_commit_callbacks,
):
    voting_round = open_round(agencies=[other_agency])
    services.vote_cast(
        voting_round=voting_round, agency=other_agency, actor=other_voter, choice="approve"
    )

    def close():
        with django_capture_on_commit_callbacks(execute=True):
            services.round_close(voting_round=voting_round, actor=secretariat)

    headers = _headers(citizen)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/rounds/{voting_round.pk}/", headers=headers
        )
        await communicator.connect()
        await communicator.receive_json_from()
        await database_sync_to_async(close)()
        message = await communicator.receive_json_from()
        await communicator.disconnect()
        return message

    message = run_async(run)
    assert message["state"]["status"] == "closed"
    assert message["state"]["result"]["outcome"] == "approved"


def test_outsiders_are_refused_for_a_draft_not_public(open_round, citizen, secretariat):
    voting_round = open_round()
    Draft.objects.filter(pk=voting_round.draft_id).update(published_at=None)
    assert _connect(voting_round.pk, None) == (False, 4404)
    assert _connect(voting_round.pk, citizen) == (False, 4404)
    assert _connect(voting_round.pk, secretariat)[0] is True


def test_an_unknown_round_is_refused(db, citizen):
    assert _connect(999_999, citizen) == (False, 4404)


def test_a_socket_from_another_site_is_refused(open_round, citizen):
    voting_round = open_round()
    connected, _code = _connect(voting_round.pk, citizen, origin=b"https://evil.example")
    assert connected is False


def test_messages_sent_in_are_ignored(open_round, citizen):
    voting_round = open_round()

    headers = _headers(citizen)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/rounds/{voting_round.pk}/", headers=headers
        )
        await communicator.connect()
        await communicator.receive_json_from()
        await communicator.send_json_to({"type": "round.state", "state": {"forged": True}})
        nothing = await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()
        return nothing

    assert run_async(run) is True


def test_connecting_to_an_overdue_round_closes_it_first(open_round, citizen):
    from tests.voting.voting_helpers import expire
    from voting.models import Round

    voting_round = open_round()
    expire(voting_round)
    headers = _headers(citizen)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/rounds/{voting_round.pk}/", headers=headers
        )
        await communicator.connect()
        message = await communicator.receive_json_from()
        await communicator.disconnect()
        return message

    message = run_async(run)
    assert message["state"]["status"] == "closed"
    assert Round.objects.get().outcome == "no_quorum"

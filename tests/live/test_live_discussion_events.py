"""Every kind of event the discussion publishes reaches a listening socket, after commit."""

import json

import pytest
from asgiref.sync import sync_to_async

from discussions import services
from discussions.models import Comment
from live.testing import run_async

pytestmark = pytest.mark.django_db(transaction=True)


async def event_of_kind(socket, kind: str) -> dict:
    """Read frames until an event of `kind` arrives (a batch may bring several)."""
    while True:
        frame = json.loads(await socket.receive_from(timeout=3))
        events = frame["events"] if frame["type"] == "batch" else [frame]
        for event in events:
            if event.get("kind") == kind:
                return event


@pytest.fixture
def discussion(make_draft, citizen, business, moderator, agency_editor):
    """A draft in discussion and a way to act on it as the personas."""
    draft = make_draft(discussion=True)

    def post(body: str = "Muddat juda qisqa.", author=None, parent=None) -> Comment:
        return services.comment_create(
            draft=draft, author=author or citizen, body=body, parent=parent
        )

    actions = {
        "comment.created": lambda c: post("Yana bir fikr."),
        "comment.edited": lambda c: services.comment_edit(
            comment=c, author=citizen, body="Tahrir qilindi."
        ),
        "comment.deleted": lambda c: services.comment_delete(comment=c, author=citizen),
        "comment.hidden": lambda c: services.comment_hide(
            comment=c, moderator=moderator, reason="Spam"
        ),
        "comment.unhidden": lambda c: services.comment_unhide(
            comment=services.comment_hide(comment=c, moderator=moderator, reason="Spam"),
            moderator=moderator,
            reason="Mistake",
        ),
        "disposition.set": lambda c: services.disposition_set(
            comment=c, actor=agency_editor, outcome="accepted", reasoning="Qabul qilindi."
        ),
    }
    return draft, post, actions


@pytest.mark.parametrize(
    "kind",
    [
        "comment.created",
        "comment.edited",
        "comment.deleted",
        "comment.hidden",
        "comment.unhidden",
        "disposition.set",
    ],
)
def test_discussion_event_reaches_listeners_with_counts(discussion, open_socket, kind):
    draft, post, actions = discussion
    comment = post()

    async def scenario():
        socket = await open_socket(draft.pk)
        ready = json.loads(await socket.receive_from())
        assert ready == {"type": "ready", "last_seq": 1}
        await sync_to_async(actions[kind])(comment)
        event = await event_of_kind(socket, kind)  # unhide comes after its hide
        assert event["seq"] >= 2
        data = event["data"]
        assert set(data["html"]) == {"uz", "ru", "en"}
        assert set(data["counts"]) >= {"comments", "unanswered"}
        if kind != "comment.created":
            assert data["comment_id"] == comment.pk
        await socket.disconnect()

    run_async(scenario)


def test_hidden_comment_text_never_leaves_in_an_event(discussion, open_socket, moderator):
    draft, post, _actions = discussion
    comment = post("Maxfiy matn 12345")

    async def scenario():
        socket = await open_socket(draft.pk, query="last_seq=0")
        await event_of_kind(socket, "comment.created")  # replayed
        await sync_to_async(services.comment_hide)(
            comment=comment, moderator=moderator, reason="Spam"
        )
        event = await event_of_kind(socket, "comment.hidden")
        assert "Maxfiy matn 12345" not in json.dumps(event, ensure_ascii=False)
        await socket.disconnect()

    run_async(scenario)


def test_reply_event_names_its_parent(discussion, open_socket, business):
    draft, post, _actions = discussion
    parent = post()

    async def scenario():
        socket = await open_socket(draft.pk)
        await socket.receive_from()  # ready
        reply = await sync_to_async(post)("Qo‘shilaman.", business, parent)
        event = await event_of_kind(socket, "comment.created")
        assert event["data"]["comment_id"] == reply.pk
        assert event["data"]["parent_id"] == parent.pk
        await socket.disconnect()

    run_async(scenario)


def test_comment_refused_by_the_discussion_publishes_nothing(discussion, open_socket, citizen):
    from django.core.exceptions import ValidationError

    draft, post, _actions = discussion

    async def scenario():
        socket = await open_socket(draft.pk)
        await socket.receive_from()  # ready
        with pytest.raises(ValidationError):
            await sync_to_async(post)("x" * 5001)
        assert await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()

    run_async(scenario)


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_viewer_with_a_language_gets_only_its_fragment_live_and_on_replay(
    discussion, open_socket, language
):
    draft, post, actions = discussion
    first = post()

    async def scenario():
        socket = await open_socket(draft.pk, query=f"last_seq=0&lang={language}")
        replayed = await event_of_kind(socket, "comment.created")
        await sync_to_async(actions["disposition.set"])(first)
        live = await event_of_kind(socket, "disposition.set")
        for event in (replayed, live):
            assert isinstance(event["data"]["html"], str)
            assert f'id="comment-{first.pk}"' in event["data"]["html"]
        await socket.disconnect()

    run_async(scenario)


def test_unknown_language_gets_every_fragment(discussion, open_socket):
    draft, post, _actions = discussion
    post()

    async def scenario():
        socket = await open_socket(draft.pk, query="last_seq=0&lang=xx")
        event = await event_of_kind(socket, "comment.created")
        assert set(event["data"]["html"]) == {"uz", "ru", "en"}
        await socket.disconnect()

    run_async(scenario)

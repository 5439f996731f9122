"""live.services.event_publish: numbering, storage, and sending only after commit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from live import selectors
from live.groups import draft_group
from live.models import LiveEvent
from live.services import event_publish


@pytest.fixture
def sent(monkeypatch):
    """Messages handed to the channel layer, as (group, message)."""
    calls = []

    class Layer:
        async def group_send(self, group, message):
            calls.append((group, message))

    monkeypatch.setattr("live.services.get_channel_layer", lambda: Layer())
    return calls


def test_events_of_a_draft_are_numbered_from_one_without_gaps(make_draft, sent):
    draft = make_draft(discussion=True)
    with transaction.atomic():
        seqs = [
            event_publish(draft=draft, kind="comment.created", data={"n": n}).seq for n in range(3)
        ]
    assert seqs == [1, 2, 3]
    assert selectors.last_seq(draft) == 3


def test_each_draft_has_its_own_sequence(make_draft, sent):
    first, second = make_draft(discussion=True), make_draft(discussion=True)
    with transaction.atomic():
        event_publish(draft=first, kind="comment.created", data={})
        event_publish(draft=first, kind="comment.created", data={})
        event = event_publish(draft=second, kind="comment.created", data={})
    assert event.seq == 1
    assert selectors.last_seq(first) == 2


def test_event_is_sent_to_the_draft_group_after_commit(
    make_draft, sent, django_capture_on_commit_callbacks
):
    draft = make_draft(discussion=True)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event_publish(draft=draft, kind="comment.created", data={"comment_id": 7})
        assert sent == []  # not before the commit
    [(group, message)] = sent
    assert group == draft_group(draft.pk)
    assert message["seq"] == 1
    assert message["text"] == (
        '{"type":"event","seq":1,"kind":"comment.created","data":{"comment_id":7}}'
    )


def test_rolled_back_event_is_neither_stored_nor_sent_and_its_number_is_reused(
    make_draft, sent, django_capture_on_commit_callbacks
):
    draft = make_draft(discussion=True)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        event_publish(draft=draft, kind="comment.created", data={})
        raise RuntimeError("the caller's write failed")
    assert callbacks == []
    assert sent == []
    assert not LiveEvent.objects.filter(draft=draft).exists()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert event_publish(draft=draft, kind="comment.created", data={}).seq == 1


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_refused(make_draft, sent):
    draft = make_draft(discussion=True)
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        event_publish(draft=draft, kind="comment.created", data={})
    assert not LiveEvent.objects.exists()


@pytest.mark.parametrize("kind", ["", "Comment.Created", "comment..created", "x" * 65, "a b"])
def test_malformed_kind_is_refused(make_draft, sent, kind):
    draft = make_draft(discussion=True)
    with pytest.raises(ValidationError) as error, transaction.atomic():
        event_publish(draft=draft, kind=kind, data={})
    assert error.value.code == "live_bad_kind"


def test_data_is_stored_as_json_the_way_clients_receive_it(make_draft, sent):
    import datetime

    draft = make_draft(discussion=True)
    when = datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC)
    with transaction.atomic():
        event = event_publish(draft=draft, kind="disposition.set", data={"at": when, "n": 1})
    assert LiveEvent.objects.get(pk=event.pk).data == {"at": "2026-05-01T09:30:00Z", "n": 1}


def test_events_after_returns_the_missed_events_in_order_up_to_a_limit(make_draft, sent):
    draft = make_draft(discussion=True)
    with transaction.atomic():
        for n in range(6):
            event_publish(draft=draft, kind="comment.created", data={"n": n})
    assert [e.seq for e in selectors.events_after(draft, 2, limit=3)] == [3, 4, 5]
    assert [e.seq for e in selectors.events_after(draft.pk, 5)] == [6]
    assert selectors.last_seq(make_draft(discussion=True)) == 0

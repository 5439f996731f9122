"""The e-parliament acknowledges a draft's final result: the draft is then "sent to parliament",
once, in the transaction that records the acknowledgement (real fake receivers over HTTP)."""

from datetime import UTC, datetime, timedelta

import pytest

from drafts.models import Draft
from eparliament import services
from eparliament.models import Delivery
from sovaz.audit.models import ActionLog
from tests.eparliament.conftest import free_port

# Later than any delivery the tests queue (they are queued at the real time), so all are due.
AT = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
ONE_TRY = services.Backoff(max_attempts=1)


class TransitionFailed(Exception):
    """Stands for the draft's transition failing after the delivery row was updated."""


def _sent_entries(draft: Draft):
    return ActionLog.objects.filter(
        code="drafts.draft.status_changed", target_id=str(draft.pk), data__to=Draft.Status.SENT
    )


def test_an_acknowledged_approval_moves_the_draft_to_sent_with_history_and_an_action_log_entry(
    receivers, make_endpoint, secret, close_round
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    draft = close_round("approve")
    assert draft.status == Draft.Status.APPROVED

    assert services.deliveries_run(now=AT).delivered == 1

    draft.refresh_from_db()
    delivery = Delivery.objects.get()
    assert draft.status == Draft.Status.SENT
    assert server.inbox.messages[delivery.webhook_id].verified
    entry = _sent_entries(draft).get()
    assert entry.actor is None
    assert entry.data["from"] == Draft.Status.APPROVED
    assert entry.data["webhook_id"] == delivery.webhook_id
    assert entry.data["export"] == delivery.export_id
    assert entry.data["round"] == delivery.export.round_id
    latest = draft.history.order_by("-history_id").first()
    assert latest.status == Draft.Status.SENT
    assert latest.history_change_reason == (
        "The e-parliament acknowledged the result of the agency voting"
    )


def test_an_acknowledged_rejection_is_sent_to_parliament_too(
    receivers, make_endpoint, secret, close_round
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    draft = close_round("object")
    assert draft.status == Draft.Status.REJECTED

    services.deliveries_run(now=AT)

    draft.refresh_from_db()
    assert draft.status == Draft.Status.SENT
    assert _sent_entries(draft).get().data["from"] == Draft.Status.REJECTED


def test_recording_the_same_acknowledgement_again_changes_nothing(
    receivers, make_endpoint, secret, close_round, secretariat
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    draft = close_round("approve")
    services.deliveries_run(now=AT)
    delivery = Delivery.objects.get()

    # A second worker whose lease ran out records the same answer late.
    assert not services.delivery_acknowledge(
        delivery=delivery, status_code=200, now=AT + timedelta(hours=1)
    )
    # A re-send by an administrator is acknowledged (208) and recorded, but moves nothing.
    services.delivery_resend(delivery=delivery, actor=secretariat, now=AT)
    services.deliveries_run(now=AT + timedelta(minutes=1))

    draft.refresh_from_db()
    assert draft.status == Draft.Status.SENT
    assert _sent_entries(draft).count() == 1
    assert draft.history.filter(status=Draft.Status.SENT).count() == 1
    assert server.inbox.counts_by_id() == {delivery.webhook_id: 2}


def test_two_endpoints_acknowledging_move_the_draft_once(
    receivers, make_endpoint, secret, close_round
):
    for _ in range(2):
        make_endpoint(receivers(secret=secret).url, secret)
    draft = close_round("approve")

    assert services.deliveries_run(now=AT).delivered == 2

    draft.refresh_from_db()
    assert draft.status == Draft.Status.SENT
    assert _sent_entries(draft).count() == 1


def test_a_failed_delivery_leaves_the_draft_approved_and_keeps_why_in_a_stable_code(
    receivers, make_endpoint, secret, close_round
):
    server = receivers(secret=secret, responder=lambda msg_id: (500, {}))
    make_endpoint(server.url, secret)
    draft = close_round("approve")

    services.deliveries_run(now=AT, backoff=ONE_TRY)

    draft.refresh_from_db()
    delivery = Delivery.objects.get()
    assert draft.status == Draft.Status.APPROVED
    assert delivery.status == Delivery.Status.DEAD
    assert (delivery.last_status_code, delivery.last_error_code) == (500, "http_error")
    assert not _sent_entries(draft).exists()


@pytest.mark.parametrize(
    ("responder", "code"),
    [
        (lambda msg_id: (429, {"Retry-After": "60"}), "rate_limited"),
        (lambda msg_id: (307, {"Location": "http://127.0.0.1:9/"}), "redirect"),
        (lambda msg_id: (410, {}), "gone"),
    ],
)
def test_each_refusal_is_recorded_with_its_own_reason(
    receivers, make_endpoint, secret, close_round, responder, code
):
    server = receivers(secret=secret, responder=responder)
    make_endpoint(server.url, secret)
    close_round("approve")

    services.deliveries_run(now=AT)

    assert Delivery.objects.get().last_error_code == code


def test_a_receiver_that_is_down_is_recorded_as_unreachable(make_endpoint, secret, close_round):
    make_endpoint(f"http://127.0.0.1:{free_port()}/", secret)
    draft = close_round("approve")

    services.deliveries_run(now=AT)

    assert Delivery.objects.get().last_error_code == "unreachable"
    draft.refresh_from_db()
    assert draft.status == Draft.Status.APPROVED


def test_a_result_without_quorum_is_acknowledged_but_does_not_send_the_draft(
    receivers, make_endpoint, secret, close_round
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    draft = close_round(None)
    assert draft.status == Draft.Status.DISCUSSION

    assert services.deliveries_run(now=AT).delivered == 1

    draft.refresh_from_db()
    assert draft.status == Draft.Status.DISCUSSION
    assert not _sent_entries(draft).exists()


def test_a_late_acknowledgement_of_an_earlier_round_without_quorum_does_not_send_the_draft(
    make_endpoint, secret, close_round
):
    make_endpoint(f"http://127.0.0.1:{free_port()}/", secret)
    draft = close_round(None)
    draft = close_round("approve", draft=draft)
    assert draft.status == Draft.Status.APPROVED
    first, second = Delivery.objects.order_by("export__round__opened_at", "id")

    assert services.delivery_acknowledge(delivery=first, status_code=200, now=AT)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.APPROVED

    assert services.delivery_acknowledge(delivery=second, status_code=200, now=AT)
    draft.refresh_from_db()
    assert draft.status == Draft.Status.SENT


def test_the_acknowledgement_and_the_transition_commit_or_roll_back_together(
    receivers, make_endpoint, secret, close_round, monkeypatch
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    draft = close_round("approve")

    def fails(**kwargs):
        raise TransitionFailed

    with monkeypatch.context() as m:
        m.setattr(services, "draft_transition", fails)
        with pytest.raises(TransitionFailed):
            services.deliveries_run(now=AT)
    assert Delivery.objects.get().status == Delivery.Status.PENDING  # due again after the lease

    services.deliveries_run(now=AT + services.LEASE)

    draft.refresh_from_db()
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
    assert draft.status == Draft.Status.SENT
    assert len(server.inbox.messages) == 1  # the repeat was kept once by the receiver


def test_results_acknowledged_before_this_was_recorded_are_sent_on_once(
    make_endpoint, secret, close_round
):
    make_endpoint("http://127.0.0.1:9/", secret)
    draft = close_round("approve")
    # What the worker wrote before acknowledgements moved drafts: delivered, the draft untouched.
    Delivery.objects.update(status=Delivery.Status.DELIVERED, delivered_at=AT)

    assert services.drafts_send_acknowledged() == 1
    assert services.drafts_send_acknowledged() == 0

    draft.refresh_from_db()
    assert draft.status == Draft.Status.SENT
    assert _sent_entries(draft).count() == 1


def test_the_admin_shows_why_a_delivery_failed_and_does_not_let_it_be_edited(
    make_endpoint, secret, close_round
):
    from sovaz.accounts.models import User
    from tests.conftest import client_for

    admin = User.objects.create_superuser(email="admin@sovaz.uz", password="x", full_name="A")
    make_endpoint(f"http://127.0.0.1:{free_port()}/", secret)
    close_round("approve")
    services.deliveries_run(now=AT)
    delivery = Delivery.objects.get()

    page = client_for(admin).get(f"/admin/eparliament/delivery/{delivery.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "The e-parliament could not be reached." in html
    assert 'name="last_error_code"' not in html

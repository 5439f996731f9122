"""The outbox worker against a real local fake e-parliament (standardwebhooks verifies all)."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from eparliament import client, selectors, services
from eparliament.models import Alert, Delivery, Endpoint, Export
from tests.eparliament.conftest import T0, free_port
from tests.threads import require_shared_database

FAST = services.Backoff(base=1.0, cap=60.0, max_attempts=12)
DAY = timedelta(days=1)


class WorkerKilled(BaseException):
    """Stands for the worker process dying at the injected point."""


def _queue(make_draft, n: int) -> list[Export]:
    draft = make_draft()
    version = draft.versions.get()
    bundle = selectors.draft_bundle(version)
    return [
        services.export_create(draft=draft, version=version, bundle=bundle, now=T0)
        for _ in range(n)
    ]


def test_a_delivery_is_signed_and_verified_by_the_standardwebhooks_package(
    receivers, make_endpoint, make_export, secret
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    export = make_export()

    result = services.deliveries_run(now=T0)

    assert result.delivered == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    arrival = server.inbox.messages[delivery.webhook_id]
    assert arrival.verified and arrival.body == bytes(export.body)
    payload = json.loads(arrival.body)
    assert payload["type"] == "round.closed"
    assert set(payload["akn"]) >= {"bill", "dispositionTable"}


def _drain(now) -> services.RunResult:
    """Run the worker in batches at `now` until nothing more is due; add up the results."""
    total = services.RunResult()
    while (result := services.deliveries_run(now=now, backoff=FAST)).claimed:
        total.claimed += result.claimed
        total.delivered += result.delivered
        total.failed += result.failed
    return total


def _close_rounds(draft, secretariat, n: int) -> None:
    """Close `n` rounds on `draft`, each exported inside its closing transaction."""
    from voting.models import Round

    version = draft.versions.get()
    for _ in range(n):
        with transaction.atomic():
            rnd = Round.objects.create(
                draft=draft,
                version=version,
                text_hash=version.text_hash,
                rule="two_thirds_quorum_simple_majority",
                eligible_count=0,
                opened_by=secretariat,
                opened_at=T0 - DAY,
                deadline=T0,
                status="closed",
                closed_at=T0,
                close_reason="deadline",
                turnout=0,
                quorum_met=False,
                approve_count=0,
                approve_remarks_count=0,
                object_count=0,
                abstain_count=0,
                outcome="no_quorum",
                result_hash="ef" * 32,
            )
            services.export_round_closed(round=rnd)


def test_receiver_down_while_100_results_close_receives_each_exactly_once(
    receivers, make_endpoint, make_draft, secret, secretariat
):
    port = free_port()
    make_endpoint(f"http://127.0.0.1:{port}/hook", secret)
    _close_rounds(make_draft(discussion=True), secretariat, 100)
    assert Export.objects.filter(is_valid=True).count() == 100

    start = timezone.now()
    down = _drain(start)
    assert (down.claimed, down.delivered, down.failed) == (100, 0, 100)
    assert Delivery.objects.filter(status="pending").count() == 100

    server = receivers(secret=secret, port=port)
    now = start
    for _ in range(3):  # compressed days: every retry is due well within one
        now += DAY
        _drain(now)

    ids = set(Delivery.objects.values_list("webhook_id", flat=True))
    assert Delivery.objects.filter(status="delivered").count() == 100
    assert server.inbox.counts_by_id() == dict.fromkeys(ids, 1)


def test_worker_killed_before_sending_resends_the_same_id_and_body_later(
    receivers, make_endpoint, make_export, secret
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    make_export()

    def dies(**kwargs):
        raise WorkerKilled

    with pytest.raises(WorkerKilled):
        services.deliveries_run(now=T0, send=dies)
    assert server.inbox.arrivals == []
    assert services.deliveries_run(now=T0).claimed == 0  # still leased to the dead worker

    services.deliveries_run(now=T0 + services.LEASE)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    assert server.inbox.counts_by_id() == {delivery.webhook_id: 1}


def test_worker_killed_after_the_receiver_answered_resends_and_the_receiver_dedupes(
    receivers, make_endpoint, make_export, secret, monkeypatch
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    make_export()

    def dies(*args):
        raise WorkerKilled

    with monkeypatch.context() as m:
        m.setattr(services, "_mark_delivered", dies)
        with pytest.raises(WorkerKilled):
            services.deliveries_run(now=T0)
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    services.deliveries_run(now=T0 + services.LEASE)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    first, repeat = server.inbox.arrivals
    assert first.webhook_id == repeat.webhook_id == delivery.webhook_id
    assert first.body == repeat.body
    assert len(server.inbox.messages) == 1


def test_worker_killed_mid_batch_loses_nothing_and_repeats_carry_the_same_id_and_body(
    receivers, make_endpoint, make_draft, secret, monkeypatch
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    _queue(make_draft, 6)
    real_mark = services._mark_delivered
    calls = {"n": 0}

    def dies_on_the_fourth(*args):
        calls["n"] += 1
        if calls["n"] == 4:
            raise WorkerKilled
        real_mark(*args)

    with monkeypatch.context() as m:
        m.setattr(services, "_mark_delivered", dies_on_the_fourth)
        with pytest.raises(WorkerKilled):
            services.deliveries_run(now=T0)
    assert Delivery.objects.filter(status="delivered").count() == 3

    services.deliveries_run(now=T0 + services.LEASE)

    assert Delivery.objects.filter(status="delivered").count() == 6
    bodies: dict[str, set[bytes]] = {}
    for arrival in server.inbox.arrivals:
        bodies.setdefault(arrival.webhook_id, set()).add(arrival.body)
    assert len(bodies) == 6 and all(len(b) == 1 for b in bodies.values())
    assert len(server.inbox.messages) == 6


def test_429_is_retried_after_the_time_the_receiver_asked_for(
    receivers, make_endpoint, make_export, secret
):
    server = receivers(secret=secret, responder=lambda msg_id: (429, {"Retry-After": "120"}))
    make_endpoint(server.url, secret)
    make_export()

    services.deliveries_run(now=T0, backoff=FAST)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_status_code == 429
    assert server.verified_refusals == 1
    assert delivery.next_attempt_at == T0 + timedelta(seconds=120)
    assert services.deliveries_run(now=T0 + timedelta(seconds=119)).claimed == 0
    server.responder = None
    assert services.deliveries_run(now=T0 + timedelta(seconds=120)).delivered == 1


def test_410_disables_the_endpoint_and_raises_an_alert(
    receivers, make_endpoint, make_export, secret
):
    server = receivers(secret=secret, responder=lambda msg_id: (410, {}))
    endpoint = make_endpoint(server.url, secret)
    make_export()

    services.deliveries_run(now=T0)

    endpoint.refresh_from_db()
    assert not endpoint.active and "410" in endpoint.disabled_reason
    assert Alert.objects.filter(kind=Alert.Kind.ENDPOINT_DISABLED, endpoint=endpoint).exists()
    make_export(number="ID-2026-0999")
    assert services.deliveries_run(now=T0 + DAY).claimed == 0
    # The refused delivery waits for the endpoint to be enabled again; the new export queued
    # nothing for the disabled endpoint.
    assert Delivery.objects.count() == 1


def test_500_schedules_a_retry_with_backoff(receivers, make_endpoint, make_export, secret):
    server = receivers(secret=secret, responder=lambda msg_id: (500, {}))
    make_endpoint(server.url, secret)
    make_export()

    services.deliveries_run(now=T0, backoff=FAST)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert (delivery.attempts, delivery.last_status_code) == (1, 500)
    assert T0 <= delivery.next_attempt_at <= T0 + timedelta(seconds=FAST.base)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    receivers, make_endpoint, make_export, secret
):
    target = receivers(secret=secret)
    server = receivers(secret=secret, responder=lambda msg_id: (307, {"Location": target.url}))
    make_endpoint(server.url, secret)
    make_export()

    services.deliveries_run(now=T0, backoff=FAST)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.last_status_code == 307
    assert "redirect" in delivery.last_error
    assert target.inbox.arrivals == []


def test_a_slow_receiver_times_out_without_holding_up_other_deliveries(
    receivers, make_endpoint, make_export, secret
):
    release = threading.Event()

    def hangs(msg_id):
        release.wait(10)
        return (200, {})

    slow = receivers(secret=secret, responder=hangs)
    fast = receivers(secret=secret)
    make_endpoint(slow.url, secret)
    make_endpoint(fast.url, secret)
    make_export()
    make_export(number="ID-2026-0777")
    try:
        result = services.deliveries_run(now=T0, backoff=FAST, timeouts=(1.0, 0.3))
    finally:
        release.set()

    assert (result.delivered, result.failed) == (2, 2)
    assert len(fast.inbox.messages) == 2
    slow_rows = Delivery.objects.filter(endpoint__url=slow.url)
    assert all(d.status == "pending" and "timed out" in d.last_error for d in slow_rows)


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_lease_ran_out_cannot_undo_a_later_delivery(
    receivers, make_endpoint, make_export, secret
):
    """Worker A's receiver answers only after the lease ran out; meanwhile worker B re-sent
    the delivery and it was acknowledged. A's late 500 then changes nothing: the delivery
    stays delivered, with no error and no alert (before, A wrote its 500 over the delivered
    record and scheduled a retry)."""
    require_shared_database()
    a_arrived, b_done = threading.Event(), threading.Event()
    calls = []

    def answer(msg_id):
        calls.append(msg_id)
        if len(calls) == 1:  # A's request: held until B has been acknowledged
            a_arrived.set()
            b_done.wait(10)
            return (500, {})
        return (200, {})

    server = receivers(secret=secret, responder=answer)
    make_endpoint(server.url, secret)
    make_export()
    last_try = services.Backoff(base=1.0, cap=60.0, max_attempts=2)
    worker_a: list[services.RunResult] = []

    def run_worker_a():
        try:
            worker_a.append(services.deliveries_run(now=T0, backoff=last_try, timeouts=(5.0, 10.0)))
        finally:
            connection.close()

    thread = threading.Thread(target=run_worker_a)
    thread.start()
    try:
        assert a_arrived.wait(10)
        worker_b = services.deliveries_run(now=T0 + services.LEASE, backoff=last_try)
    finally:
        b_done.set()
        thread.join(15)

    assert worker_b.delivered == 1
    assert (worker_a[0].failed, worker_a[0].dead, worker_a[0].superseded) == (0, 0, 1)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert delivery.last_error == "" and delivery.last_status_code == 200
    assert not Alert.objects.exists()
    assert len(calls) == 2 and len(set(calls)) == 1  # the same webhook id both times


def test_a_delivery_gives_up_after_the_last_attempt_and_raises_an_alert(
    receivers, make_endpoint, make_export, secret
):
    server = receivers(secret=secret, responder=lambda msg_id: (503, {}))
    make_endpoint(server.url, secret)
    make_export()
    now = T0
    for _ in range(FAST.max_attempts):
        services.deliveries_run(now=now, backoff=FAST)
        now += DAY

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DEAD and delivery.attempts == FAST.max_attempts
    assert Alert.objects.filter(kind=Alert.Kind.DEAD_LETTER, delivery=delivery).exists()
    assert services.deliveries_run(now=now + DAY).claimed == 0


def test_backoff_over_twelve_attempts_spans_about_a_day():
    backoff = services.Backoff()
    ceilings = [min(backoff.cap, backoff.base * 2 ** (n - 1)) for n in range(1, 12)]
    mean_total_hours = sum(ceilings) / 2 / 3600
    assert 12 <= mean_total_hours <= 36
    assert all(0 <= backoff.delay(n) <= backoff.cap for n in range(1, 30))


def test_a_resend_keeps_the_webhook_id_and_the_body(
    receivers, make_endpoint, make_export, secret, secretariat
):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    make_export()
    services.deliveries_run(now=T0)
    delivery = Delivery.objects.get()

    services.delivery_resend(delivery=delivery, actor=secretariat, now=T0 + DAY)
    services.deliveries_run(now=T0 + DAY)

    first, second = server.inbox.arrivals
    assert first.webhook_id == second.webhook_id == delivery.webhook_id
    assert first.body == second.body
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_rolled_back_close_queues_and_sends_nothing(receivers, make_endpoint, make_draft, secret):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)

    class CloseFailed(Exception):
        pass

    with pytest.raises(CloseFailed), transaction.atomic():
        _queue(make_draft, 1)
        raise CloseFailed

    assert Export.objects.count() == 0 and Delivery.objects.count() == 0
    assert services.deliveries_run(now=T0 + DAY).claimed == 0
    assert server.inbox.arrivals == []


def test_during_a_secret_rotation_a_receiver_with_either_secret_accepts(
    receivers, make_endpoint, make_draft, secret
):
    old_receiver = receivers(secret=secret)
    endpoint = make_endpoint(old_receiver.url, secret)
    services.endpoint_rotate_secret(endpoint=endpoint, actor=None, now=T0)
    endpoint.refresh_from_db()
    new_receiver = receivers(secret=endpoint.secret)
    _queue(make_draft, 1)

    services.deliveries_run(now=T0)
    assert len(old_receiver.inbox.messages) == 1

    endpoint.url = new_receiver.url
    endpoint.save()
    services.delivery_resend(delivery=Delivery.objects.get(), actor=None, now=T0 + DAY * 2)
    services.deliveries_run(now=T0 + DAY * 2)  # overlap over: only the new secret signs
    assert len(new_receiver.inbox.messages) == 1
    assert endpoint.signing_secrets(T0 + DAY * 2) == [endpoint.secret]


def test_loopback_and_private_addresses_are_refused_unless_allowed(
    receivers, make_endpoint, make_export, secret
):
    server = receivers(secret=secret)
    endpoint = make_endpoint(server.url, secret)
    # Refused when configured too; here the permission is withdrawn after queueing.
    Endpoint.objects.filter(pk=endpoint.pk).update(allow_private=False)
    make_export()

    services.deliveries_run(now=T0)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DEAD
    assert "non-public address" in delivery.last_error
    assert server.inbox.arrivals == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.0.0.8",
        "192.168.1.1",
        "169.254.169.254",
        "[::1]",
        "[fe80::1]",
        "0.0.0.0",  # noqa: S104 (a destination refused, not a bind)
        "100.64.0.1",
        "[::ffff:127.0.0.1]",
        "localhost",
    ],
)
def test_the_client_refuses_non_global_addresses(host):
    with pytest.raises(client.UnsafeAddress) as info:
        client.send(url=f"http://{host}:9/", body=b"{}", headers={})
    assert not info.value.retryable


def test_the_client_checks_every_address_a_name_resolves_to(monkeypatch):
    answers = [(2, 1, 6, "", ("93.184.215.14", 80)), (2, 1, 6, "", ("10.1.2.3", 80))]
    monkeypatch.setattr(client.socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(client.UnsafeAddress):
        client.send(url="http://rebinding.example/", body=b"{}", headers={})


def test_only_an_administrator_may_allow_private_addresses(agency_editor, db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.endpoint_create(
            actor=agency_editor, name="x", url="http://127.0.0.1:1/", allow_private=True
        )


def test_an_endpoint_on_a_private_address_is_refused_when_configured(db):
    from django.core.exceptions import ValidationError

    for url in ["http://127.0.0.1:8001/", "http://10.0.0.5/hook", "http://[::1]/"]:
        with pytest.raises(ValidationError) as info:
            services.endpoint_create(actor=None, name="x", url=url)
        assert info.value.code == "private_address"
    with pytest.raises(ValidationError):
        services.endpoint_create(actor=None, name="x", url="ftp://example.org/")


def test_a_new_endpoint_is_queued_every_earlier_export_once(make_export, make_endpoint, secret):
    make_export()
    endpoint = make_endpoint("http://127.0.0.1:9/", secret)
    assert services.export_queue_for(endpoint=endpoint) == 1
    assert services.export_queue_for(endpoint=endpoint) == 0


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    assert client.parse_retry_after("120") == 120.0
    now = 1_800_000_000.0
    assert client.parse_retry_after("Fri, 15 Jan 2027 08:00:00 GMT", now=now) == 0.0
    assert client.parse_retry_after("Fri, 15 Jan 2027 08:00:00 GMT", now=now - 1000) == 1000
    assert client.parse_retry_after("soon") is None
    assert client.parse_retry_after(None) is None

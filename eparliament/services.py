"""Every write of the e-parliament export: exports, the outbox, endpoints and the worker.

The outbox: `export_round_closed` runs inside the transaction that closes a round and writes one
Export (the frozen body) plus one Delivery per active endpoint, so a rolled-back close sends
nothing. `deliveries_run` (the `deliver` command) claims due deliveries, POSTs them through
eparliament.client outside any transaction, and records each outcome. An acknowledged final
result moves its draft to "sent to parliament" (`delivery_acknowledge`).
"""

import logging
import random
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from drafts import reasons
from drafts.models import Draft, Version
from drafts.services import TRANSITIONS, draft_transition
from eparliament import akn, client, signing
from eparliament.bundle_json import dumps as bundle_dumps
from eparliament.bundle_json import envelope
from eparliament.models import Alert, Delivery, Endpoint, Export
from sovaz.accounts.models import User
from sovaz.audit.services import action_log

if TYPE_CHECKING:
    from voting.models import Round

log = logging.getLogger(__name__)

# A claimed delivery that is neither delivered nor rescheduled by then (the worker died) is
# due again after the lease; the re-send carries the same id and body.
LEASE = timedelta(minutes=2)
# Bodies of large drafts run to megabytes; a batch holds each distinct body once in memory.
BATCH = 20
SENDERS = 8


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with full jitter: attempt n waits uniform(0, min(cap, base·2ⁿ⁻¹)).

    With the defaults, 12 attempts spread over about a day on average before the dead letter.
    """

    base: float = 60.0
    cap: float = 12 * 3600.0
    max_attempts: int = 12
    max_retry_after: float = 24 * 3600.0

    def delay(self, attempts: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(0, attempts - 1))
        return (rng or random).uniform(0, ceiling)


# ---------------------------------------------------------------- exports (the outbox)


def _alert(*, kind: str, message: str, **targets: Any) -> Alert:
    log.error("e-parliament alert (%s): %s", kind, message)
    return Alert.objects.create(kind=kind, message=message, **targets)


def export_create(
    *,
    draft: Draft,
    version: Version,
    bundle: dict[str, Any],
    rnd: "Round | None" = None,
    kind: str = Export.Kind.ROUND_CLOSED,
    now: datetime | None = None,
) -> Export:
    """Freeze `bundle` and its AKN documents into an Export, and queue it for every endpoint.

    Every document is validated first; an invalid export is stored and raises an admin alert
    but is never queued. Call inside the caller's transaction (the outbox guarantee).
    """
    now = now or timezone.now()
    rendered = akn.documents(bundle)
    errors = [
        f"{name}: {problem}" for name, xml in rendered.items() for problem in akn.validate(xml)
    ]
    documents = {name: xml.decode() for name, xml in rendered.items()}
    with transaction.atomic():
        export = Export.objects.create(
            kind=kind,
            draft=draft,
            version=version,
            round=rnd,
            bundle=bundle_dumps(bundle),
            documents=documents,
            document_names=sorted(documents),
            body=envelope(kind=kind, bundle=bundle, documents=documents),
            is_valid=not errors,
            errors="\n".join(errors[:200]),
            created_at=now,
        )
        if errors:
            _alert(
                kind=Alert.Kind.INVALID_DOCUMENT,
                message=_("Export %(id)s of %(draft)s failed validation and was not sent: %(e)s")
                % {"id": export.pk, "draft": draft.number, "e": errors[0]},
                export=export,
            )
            return export
        Delivery.objects.bulk_create(
            _delivery(export=export, endpoint=endpoint, now=now)
            for endpoint in Endpoint.objects.filter(active=True)
        )
    return export


def _delivery(*, export: Export, endpoint: Endpoint, now: datetime) -> Delivery:
    # The id is the receiver's idempotency key: fixed here, never changed by retries or re-sends.
    webhook_id = f"msg_{secrets.token_urlsafe(18)}"
    return Delivery(
        export=export, endpoint=endpoint, webhook_id=webhook_id, next_attempt_at=now, created_at=now
    )


def export_round_closed(*, round: "Round") -> None:
    """Export a just-closed round to every active endpoint, in the caller's transaction.

    Call it inside the transaction that closes the round, after the result fields are saved:
    if that transaction rolls back, no export and no delivery exist. A round is exported once;
    a second call does nothing. A failure to build the bundle never blocks the close: it is
    logged and raised as an admin alert instead.
    """
    from eparliament.selectors import round_bundle

    if Export.objects.filter(round=round, kind=Export.Kind.ROUND_CLOSED, is_valid=True).exists():
        return
    try:
        with transaction.atomic():
            bundle = round_bundle(round)
            export_create(draft=round.draft, version=round.version, bundle=bundle, rnd=round)
    except Exception as exc:
        log.exception("exporting round %s failed", round.pk)
        _alert(
            kind=Alert.Kind.INVALID_DOCUMENT,
            message=_("Round %(id)s could not be exported: %(error)s")
            % {"id": round.pk, "error": exc},
        )


# ---------------------------------------------------------------- endpoints


def endpoint_create(
    *, actor: User | None, name: str, url: str, allow_private: bool = False, secret: str = ""
) -> Endpoint:
    """Configure a receiver. `allow_private` is for administrators only (local testing)."""
    if allow_private and not (actor is None or actor.is_superuser):
        raise ValidationError(
            _("Only an administrator may allow private addresses."), code="private_not_allowed"
        )
    secret = secret or signing.secret_generate()
    try:
        signing.secret_key(secret)
    except signing.InvalidSecret as exc:
        raise ValidationError(str(exc), code="bad_secret") from None
    endpoint_check_url(url=url, allow_private=allow_private)
    with transaction.atomic():
        endpoint = Endpoint(name=name, url=url, secret=secret, allow_private=allow_private)
        endpoint.full_clean()
        endpoint.save()
        action_log(
            actor=actor,
            code="eparliament.endpoint.created",
            target=endpoint,
            data={"url": url, "allow_private": allow_private},
        )
    return endpoint


def endpoint_check_url(*, url: str, allow_private: bool) -> None:
    """Refuse a malformed URL, or one whose host resolves to a non-public address now.

    A name that does not resolve yet is accepted: the client checks every address again at
    each send, which also defeats a name that later resolves somewhere private (rebinding).
    """
    try:
        _scheme, host, port = client.check_url(url)
        client.resolve(host, port, allow_private=allow_private)
    except client.UnsafeAddress as exc:
        raise ValidationError(str(exc), code="private_address") from None
    except client.DeliveryError as exc:
        if not exc.retryable:
            raise ValidationError(str(exc), code="bad_url") from None


def export_queue_for(*, endpoint: Endpoint, now: datetime | None = None) -> int:
    """Queue every valid export that `endpoint` has not been sent yet (a newly added receiver)."""
    now = now or timezone.now()
    with transaction.atomic():
        missing = Export.objects.filter(is_valid=True).exclude(deliveries__endpoint=endpoint)
        rows = [
            _delivery(export=export, endpoint=endpoint, now=now) for export in missing.only("pk")
        ]
        Delivery.objects.bulk_create(rows)
    return len(rows)


def endpoint_rotate_secret(
    *,
    endpoint: Endpoint,
    actor: User | None,
    overlap: timedelta = timedelta(days=1),
    new_secret: str = "",
    now: datetime | None = None,
) -> Endpoint:
    """Replace the secret; the old one keeps signing (beside the new) for `overlap`."""
    now = now or timezone.now()
    new_secret = new_secret or signing.secret_generate()
    signing.secret_key(new_secret)
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret, endpoint.secret = endpoint.secret, new_secret
        endpoint.previous_secret_until = now + overlap
        endpoint.save()
        action_log(
            actor=actor,
            code="eparliament.endpoint.secret_rotated",
            target=endpoint,
            data={"overlap_until": endpoint.previous_secret_until.isoformat()},
        )
    return endpoint


def delivery_resend(*, delivery: Delivery, actor: User | None, now: datetime | None = None):
    """Queue a delivery again now, with the same webhook id and the same body."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if not delivery.export.is_valid:
            raise ValidationError(_("An invalid export is never sent."), code="invalid_export")
        previous = delivery.status
        delivery.status = Delivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = now
        delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
        action_log(
            actor=actor,
            code="eparliament.delivery.resent",
            target=delivery,
            data={"webhook_id": delivery.webhook_id, "previous_status": previous},
        )
    return delivery


# ---------------------------------------------------------------- the worker


@dataclass
class RunResult:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    superseded: int = 0  # failed, but the lease had run out and a later attempt took over
    errors: list[str] = field(default_factory=list)


Sender = Callable[..., int]


def deliveries_claim(*, now: datetime, limit: int = BATCH, lease: timedelta = LEASE):
    """Lease up to `limit` due deliveries to this worker; other workers skip locked rows."""
    with transaction.atomic():
        qs = Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        ids = list(qs.values_list("id", flat=True)[:limit])
        Delivery.objects.filter(pk__in=ids).update(
            next_attempt_at=now + lease, attempts=F("attempts") + 1, last_attempt_at=now
        )
    batch = list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("export", "endpoint")
        .defer("export__body", "export__bundle", "export__documents")
        .order_by("id")
    )
    bodies = dict(
        Export.objects.filter(pk__in={d.export_id for d in batch}).values_list("pk", "body")
    )
    for delivery in batch:
        delivery.body = bytes(bodies[delivery.export_id])  # type: ignore[attr-defined]
    return batch


def _send_one(delivery: Delivery, send: Sender, now: datetime, timeouts: tuple[float, float]):
    endpoint = delivery.endpoint
    body = delivery.body  # type: ignore[attr-defined]
    try:
        headers = signing.headers(
            secrets=endpoint.signing_secrets(now),
            msg_id=delivery.webhook_id,
            timestamp=int(time.time()),  # the real send time: receivers check it for replays
            body=body,
        )
        return send(
            url=endpoint.url,
            body=body,
            headers=headers,
            allow_private=endpoint.allow_private,
            connect_timeout=timeouts[0],
            read_timeout=timeouts[1],
        )
    except client.DeliveryError as exc:
        return exc
    except signing.InvalidSecret as exc:
        return client.DeliveryError(f"bad secret: {exc}", retryable=False, code="bad_secret")


def delivery_acknowledge(*, delivery: Delivery, status_code: int, now: datetime) -> bool:
    """Record that the receiver acknowledged `delivery` (answered 2xx) and send its draft on.

    In one transaction: the delivery becomes delivered and, when it carries the result of the
    draft's final round (approved or rejected) and the draft is not sent yet, the draft moves
    to "sent to parliament" through drafts.services.draft_transition (history, action log).
    Guarded for two workers recording the same acknowledgement (one whose lease ran out): the
    update takes the row only if it is not delivered yet, so the second waits for the first
    and then changes nothing; the draft is locked and its status read again before it moves,
    so acknowledgements from two endpoints move it once. Returns whether this call recorded it.
    """
    with transaction.atomic():
        recorded = (
            Delivery.objects.filter(pk=delivery.pk)
            .exclude(status=Delivery.Status.DELIVERED)
            .update(
                status=Delivery.Status.DELIVERED,
                delivered_at=now,
                last_status_code=status_code,
                last_error="",
                last_error_code="",
            )
        )
        if recorded:
            _draft_send_on(delivery)
    return bool(recorded)


def _mark_delivered(delivery: Delivery, status: int, now: datetime) -> None:
    # The worker's one call per acknowledgement (tests stop the worker here).
    delivery_acknowledge(delivery=delivery, status_code=status, now=now)


def _draft_send_on(delivery: Delivery) -> bool:
    """Move the draft of an acknowledged delivery to "sent", if it carried the final result.

    Run inside the transaction that records the acknowledgement. A round without quorum is not
    final (its draft went back to discussion), and a draft already sent stays as it is.
    """
    from voting.models import Round

    draft_id, round_id, outcome = (
        Export.objects.filter(pk=delivery.export_id)
        .values_list("draft_id", "round_id", "round__outcome")
        .get()
    )
    if outcome not in (Round.Outcome.APPROVED, Round.Outcome.REJECTED):
        return False
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    if Draft.Status.SENT not in TRANSITIONS[draft.status]:
        return False  # sent already: another endpoint's acknowledgement came first
    draft_transition(
        draft=draft,
        to=Draft.Status.SENT,
        actor=None,
        reason=reasons.stored(reasons.SENT_TO_PARLIAMENT),
        round=round_id,
        export=delivery.export_id,
        endpoint=Endpoint.objects.values_list("name", flat=True).get(pk=delivery.endpoint_id),
        webhook_id=delivery.webhook_id,
    )
    return True


def drafts_send_acknowledged() -> int:
    """Send on every draft whose final result was acknowledged before SOVAZ recorded that (data
    from before acknowledgements moved drafts); the demo runs it. Returns how many moved."""
    from voting.models import Round

    waiting = Delivery.objects.filter(
        status=Delivery.Status.DELIVERED,
        export__round__outcome__in=[Round.Outcome.APPROVED, Round.Outcome.REJECTED],
        export__draft__status__in=[Draft.Status.APPROVED, Draft.Status.REJECTED],
    ).order_by("delivered_at", "id")
    moved = 0
    for delivery in waiting:
        with transaction.atomic():
            moved += _draft_send_on(delivery)
    return moved


def _mark_failed(
    delivery: Delivery,
    error: client.DeliveryError,
    now: datetime,
    backoff: Backoff,
    rng: random.Random | None,
) -> str:
    fields: dict[str, Any] = {
        "last_status_code": error.status,
        "last_error": str(error)[:2000],
        "last_error_code": error.code,
    }
    with transaction.atomic():
        # Only while this worker's claim is the latest: a worker whose lease ran out (its
        # receiver was slow) must not undo what a later attempt recorded, such as the delivery.
        mine = Delivery.objects.select_for_update().filter(
            pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
        )
        if not mine.exists():
            return "superseded"
        if error.gone:
            Endpoint.objects.filter(pk=delivery.endpoint_id).update(
                active=False, disabled_reason=str(error)[:300]
            )
            _alert(
                kind=Alert.Kind.ENDPOINT_DISABLED,
                endpoint=delivery.endpoint,
                message=_("Endpoint %(name)s answered 410 Gone and was disabled.")
                % {"name": delivery.endpoint.name},
            )
        if error.gone:
            # Kept pending: it goes out if an administrator enables the endpoint again.
            fields["next_attempt_at"] = now
            outcome = "failed"
        elif not error.retryable or delivery.attempts >= backoff.max_attempts:
            fields["status"] = Delivery.Status.DEAD
            outcome = "dead"
            _alert(
                kind=Alert.Kind.DEAD_LETTER,
                delivery=delivery,
                message=_("Delivery %(id)s to %(name)s gave up after %(n)s attempts: %(e)s")
                % {
                    "id": delivery.webhook_id,
                    "name": delivery.endpoint.name,
                    "n": delivery.attempts,
                    "e": error,
                },
            )
        else:
            wait = backoff.delay(delivery.attempts, rng)
            if error.retry_after is not None:
                wait = min(max(error.retry_after, 0.0), backoff.max_retry_after)
            fields["next_attempt_at"] = now + timedelta(seconds=wait)
            outcome = "failed"
        Delivery.objects.filter(pk=delivery.pk).update(**fields)
    return outcome


def deliveries_run(
    *,
    now: datetime | None = None,
    send: Sender = client.send,
    backoff: Backoff = Backoff(),
    limit: int = BATCH,
    rng: random.Random | None = None,
    timeouts: tuple[float, float] = (client.CONNECT_TIMEOUT, client.READ_TIMEOUT),
) -> RunResult:
    """Deliver one batch of due deliveries; return what happened.

    Sends run in parallel threads (no database work in them), so one slow receiver times out
    on its own while the others are delivered. `now` drives the schedule (tests compress a day
    into a few calls); the signed timestamp is always the real clock.
    """
    now = now or timezone.now()
    result = RunResult()
    batch = deliveries_claim(now=now, limit=limit)
    result.claimed = len(batch)
    if not batch:
        return result
    with ThreadPoolExecutor(max_workers=min(SENDERS, len(batch))) as pool:
        outcomes = list(pool.map(lambda d: _send_one(d, send, now, timeouts), batch))
    for delivery, outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, client.DeliveryError):
            verdict = _mark_failed(delivery, outcome, now, backoff, rng)
            result.errors.append(f"{delivery.webhook_id}: {outcome}")
            if verdict == "superseded":
                result.superseded += 1
            elif verdict == "dead":
                result.dead += 1
            else:
                result.failed += 1
        else:
            _mark_delivered(delivery, outcome, now)
            result.delivered += 1
    return result

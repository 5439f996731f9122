"""Workers recording acknowledgements at the same moment move a draft to "sent" exactly once
(real threads on a database they share)."""

from datetime import UTC, datetime, timedelta

import pytest

from drafts.models import Draft
from eparliament import services
from eparliament.models import Delivery
from sovaz.audit.models import ActionLog
from tests.threads import require_shared_database, run_threads

pytestmark = [pytest.mark.services]

AT = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)


@pytest.fixture(autouse=True)
def shared_database(transactional_db):
    require_shared_database()


@pytest.fixture
def approved(close_round, make_endpoint, secret):
    """An approved draft whose result is queued to two endpoints (nothing listens: the tests
    record the acknowledgements themselves, as the worker does after a 2xx)."""
    for port in (9, 10):
        make_endpoint(f"http://127.0.0.1:{port}/", secret)
    draft = close_round("approve")
    assert draft.status == Draft.Status.APPROVED
    return draft


def _acknowledge(delivery: Delivery, n: int):
    return lambda: services.delivery_acknowledge(
        delivery=delivery, status_code=200, now=AT + timedelta(seconds=n)
    )


def test_twenty_workers_recording_the_same_acknowledgements_send_the_draft_once(approved):
    deliveries = list(Delivery.objects.order_by("id"))
    assert len(deliveries) == 2

    # Ten workers per delivery: each delivery is recorded once, the draft moves once.
    results = run_threads([_acknowledge(deliveries[n % 2], n) for n in range(20)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(True) == 2
    approved.refresh_from_db()
    assert approved.status == Draft.Status.SENT
    sent = ActionLog.objects.filter(
        code="drafts.draft.status_changed", target_id=str(approved.pk), data__to="sent"
    )
    assert sent.count() == 1
    assert approved.history.filter(status=Draft.Status.SENT).count() == 1
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}

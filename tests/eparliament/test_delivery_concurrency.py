"""On PostgreSQL, two workers never claim the same delivery (SELECT … FOR UPDATE SKIP LOCKED)."""

import pytest
from django.db import connection

from eparliament import services
from eparliament.models import Delivery
from tests.eparliament.conftest import T0
from tests.threads import row_locked_elsewhere


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_not_waited_for(
    make_endpoint, make_export, secret
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite runs a single worker")
    make_endpoint("http://127.0.0.1:9/", secret)
    for n in range(3):
        make_export(number=f"ID-2026-3{n:03d}")
    first = Delivery.objects.order_by("id").first()
    with row_locked_elsewhere(Delivery, first.pk):
        claimed = services.deliveries_claim(now=T0)
    assert first.pk not in {d.pk for d in claimed}
    assert len(claimed) == 2

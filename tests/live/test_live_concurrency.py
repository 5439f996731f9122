"""Simultaneous comments on one draft, with real threads on a database they share."""

import pytest

from discussions import services
from live.models import LiveEvent
from tests.conftest import make_user
from tests.threads import require_shared_database, run_threads

pytestmark = [pytest.mark.services]

POSTERS = 24


@pytest.fixture(autouse=True)
def shared_database(transactional_db):
    require_shared_database()


def test_simultaneous_comments_are_numbered_in_order_and_each_count_includes_the_earlier_ones(
    make_draft,
):
    draft = make_draft(discussion=True)
    users = [make_user(f"poster{n}@example.uz") for n in range(POSTERS)]

    def post(user):
        return lambda: services.comment_create(
            draft=draft, author=user, body=f"{user.email} agrees", send_email=False
        )

    results = run_threads([post(user) for user in users])

    assert [r for r in results if isinstance(r, Exception)] == []
    events = list(LiveEvent.objects.filter(draft=draft).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, POSTERS + 1))
    # Counted once the event had its number: the k-th event's count is k, never an older
    # figure read before a transaction with a lower number committed.
    assert [e.data["counts"]["comments"] for e in events] == list(range(1, POSTERS + 1))
    assert [e.data["counts"]["unanswered"] for e in events] == list(range(1, POSTERS + 1))
    assert sorted(e.data["comment_id"] for e in events) == sorted(r.pk for r in results)

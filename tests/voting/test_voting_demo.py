"""The voting demo: one closed round with a result, one open round; safe to run twice."""

import pytest
from django.core.management import call_command

from voting.ledger import verify_ledger
from voting.models import Round, Vote


@pytest.fixture
def demo(db, settings):
    import drafts.demo
    import sovaz.demo
    import voting.demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sovaz.demo.load()
    drafts.demo.load()
    voting.demo.load()


def test_the_demo_has_a_closed_round_with_receipts_and_an_open_one(demo):
    closed = Round.objects.get(status="closed")
    assert closed.outcome == "approved" and closed.turnout == 6
    assert Vote.objects.filter(round=closed).exclude(remarks="").count() == 4
    assert all(len(v.receipt_hash) == 64 for v in Vote.objects.filter(round=closed))
    opened = Round.objects.get(status="open")
    assert Vote.objects.filter(round=opened).count() == 2
    assert verify_ledger().problem is None


def test_loading_the_demo_twice_changes_nothing(demo):
    import voting.demo

    counts = (Round.objects.count(), Vote.objects.count())
    voting.demo.load()
    assert (Round.objects.count(), Vote.objects.count()) == counts
    call_command("verify_ledger")

"""Simultaneous votes and closes with real threads, on a database the threads share."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import client_for
from tests.threads import require_shared_database, run_threads
from voting import services
from voting.ledger import verify_ledger
from voting.models import LedgerEntry, Round, Vote, VoteChange

pytestmark = [pytest.mark.services]


@pytest.fixture(autouse=True)
def shared_database(transactional_db):
    require_shared_database()


def make_round(voting_draft, secretariat, agencies) -> Round:
    return services.round_open(
        draft=voting_draft,
        actor=secretariat,
        agencies=agencies,
        deadline=timezone.now() + timedelta(days=2),
        rule="two_thirds_quorum_simple_majority",
        override_reason="Concurrency test",
    )


def test_fifty_simultaneous_votes_by_one_agency_leave_exactly_one_current_vote(
    voting_draft, secretariat, other_agency, other_voter
):
    voting_round = make_round(voting_draft, secretariat, [other_agency])
    choices = ["approve", "object", "abstain", "approve_remarks"]

    def attempt(i):
        return lambda: services.vote_cast(
            voting_round=voting_round,
            agency=other_agency,
            actor=other_voter,
            choice=choices[i % 4],
            remarks=f"attempt {i}",
        )

    results = run_threads([attempt(i) for i in range(50)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.count() == 1
    assert sorted(VoteChange.objects.values_list("revision", flat=True)) == list(range(1, 51))
    last = VoteChange.objects.order_by("-revision").first()
    assert Vote.objects.get().receipt_hash == last.receipt_hash
    assert verify_ledger().problem is None


def test_thirty_agencies_times_ten_attempts_leave_exactly_thirty_votes(
    voting_draft, secretariat, many_agencies
):
    pairs = many_agencies(30)
    voting_round = make_round(voting_draft, secretariat, [a for a, _ in pairs])
    targets = [
        (
            lambda a=agency, v=voter: services.vote_cast(
                voting_round=voting_round, agency=a, actor=v, choice="approve"
            )
        )
        for agency, voter in pairs
        for _ in range(10)
    ]
    results = run_threads(targets)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.count() == 30
    assert VoteChange.objects.count() == 300
    assert LedgerEntry.objects.count() == 301
    assert verify_ledger().problem is None


def test_a_close_racing_with_votes_counts_exactly_the_votes_committed_before_it(
    voting_draft, secretariat, many_agencies
):
    pairs = many_agencies(12)
    voting_round = make_round(voting_draft, secretariat, [a for a, _ in pairs])
    for agency, voter in pairs:  # everyone has voted, so the secretariat may close early
        services.vote_cast(voting_round=voting_round, agency=agency, actor=voter, choice="approve")
    changes = [
        (
            lambda a=agency, v=voter: services.vote_cast(
                voting_round=voting_round, agency=a, actor=v, choice="object", remarks="Changed"
            )
        )
        for agency, voter in pairs
        for _ in range(3)
    ]
    close = [lambda: services.round_close(voting_round=voting_round, actor=secretariat)]
    results = run_threads(changes[:18] + close + changes[18:])

    failures = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(f, ValidationError) and f.code == "round_closed" for f in failures)
    closed = Round.objects.get()
    close_entry = LedgerEntry.objects.get(kind="close")
    before = LedgerEntry.objects.filter(kind="vote", seq__lt=close_entry.seq)
    assert not LedgerEntry.objects.filter(kind="vote", seq__gt=close_entry.seq).exists()
    latest = {}
    for entry in before.order_by("seq").select_related("agency"):
        latest[entry.agency.code] = entry
    assert sorted([code, e.entry_hash] for code, e in latest.items()) == close_entry.data["votes"]
    tally = Counter(e.data["choice"] for e in latest.values())
    assert (closed.approve_count, closed.object_count) == (tally["approve"], tally["object"])
    succeeded = sum(1 for r in results[:18] + results[19:] if not isinstance(r, Exception))
    assert succeeded == before.count() - 12
    assert verify_ledger().problem is None


def test_simultaneous_ballots_through_the_view_never_answer_500(
    voting_draft, secretariat, many_agencies, other_voter
):
    pairs = many_agencies(10)
    voting_round = make_round(voting_draft, secretariat, [a for a, _ in pairs])
    clients = {voter.pk: client_for(voter) for _agency, voter in pairs}
    url = f"/voting/{voting_round.pk}/ballot/"

    def post(voter, i):
        return lambda: (
            clients[voter.pk]
            .post(
                url, {"choice": ["approve", "object"][i % 2], "remarks": "" if i % 2 == 0 else "no"}
            )
            .status_code
        )

    targets = [post(voter, i) for _agency, voter in pairs for i in range(5)]
    targets.append(
        lambda: client_for(secretariat).post(f"/voting/{voting_round.pk}/close/").status_code
    )
    targets.append(lambda: client_for(other_voter).post(url, {"choice": "approve"}).status_code)
    results = run_threads(targets)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert set(results[:50]) <= {302, 400}
    assert results[-1] == 403 and results[-2] in (302, 400)
    assert Vote.objects.count() == 10


def test_a_vote_for_a_foreign_agency_is_refused_under_load(
    voting_draft, secretariat, other_agency, third_agency, other_voter, third_voter
):
    voting_round = make_round(voting_draft, secretariat, [other_agency, third_agency])
    targets = [
        lambda: services.vote_cast(
            voting_round=voting_round, agency=third_agency, actor=other_voter, choice="approve"
        )
    ] * 5
    targets += [
        lambda: services.vote_cast(
            voting_round=voting_round, agency=third_agency, actor=third_voter, choice="approve"
        )
    ] * 5
    results = run_threads(targets)
    assert all(isinstance(r, PermissionDenied) for r in results[:5])
    assert Vote.objects.get().cast_by == third_voter

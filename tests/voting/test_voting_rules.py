"""The named rules at their boundaries: one vote short of the quorum, and exactly met."""

import pytest

from voting.rules import RULES, Counts

TWO_THIRDS = RULES["two_thirds_quorum_simple_majority"]
ABSOLUTE = RULES["simple_quorum_absolute_majority"]
UNANIMITY = RULES["unanimity"]


@pytest.mark.parametrize(
    ("eligible", "voted", "met"),
    [(6, 3, False), (6, 4, True), (9, 5, False), (9, 6, True), (10, 6, False), (10, 7, True)],
)
def test_two_thirds_quorum_is_met_exactly_at_two_thirds(eligible, voted, met):
    assert TWO_THIRDS.quorum_met(Counts(eligible=eligible, approve=voted)) is met


def test_abstentions_count_towards_the_two_thirds_quorum():
    assert TWO_THIRDS.quorum_met(Counts(eligible=6, approve=1, abstain=3))
    assert TWO_THIRDS.outcome(Counts(eligible=6, approve=1, abstain=3)) == "approved"


@pytest.mark.parametrize(
    ("approve", "approve_remarks", "objections", "outcome"),
    [(2, 0, 2, "rejected"), (2, 1, 2, "approved"), (0, 3, 2, "approved"), (1, 0, 3, "rejected")],
)
def test_two_thirds_rule_approves_when_approvals_outnumber_objections(
    approve, approve_remarks, objections, outcome
):
    counts = Counts(eligible=6, approve=approve, approve_remarks=approve_remarks, object=objections)
    assert TWO_THIRDS.outcome(counts) == outcome


@pytest.mark.parametrize(
    ("eligible", "voted", "met"), [(6, 3, False), (6, 4, True), (7, 3, False), (7, 4, True)]
)
def test_simple_quorum_needs_more_than_half(eligible, voted, met):
    assert ABSOLUTE.quorum_met(Counts(eligible=eligible, abstain=voted)) is met


@pytest.mark.parametrize(
    ("eligible", "approvals", "outcome"),
    [(6, 3, "rejected"), (6, 4, "approved"), (7, 3, "rejected"), (7, 4, "approved")],
)
def test_absolute_majority_counts_approvals_against_all_eligible(eligible, approvals, outcome):
    counts = Counts(eligible=eligible, approve=approvals, abstain=eligible - approvals)
    assert ABSOLUTE.outcome(counts) == outcome


def test_unanimity_needs_every_agency_to_vote():
    assert UNANIMITY.outcome(Counts(eligible=3, approve=2)) == "no_quorum"
    assert UNANIMITY.outcome(Counts(eligible=3, approve=3)) == "approved"


def test_unanimity_is_broken_by_one_objection_but_not_by_abstentions():
    assert UNANIMITY.outcome(Counts(eligible=3, approve=2, object=1)) == "rejected"
    assert UNANIMITY.outcome(Counts(eligible=3, approve=1, abstain=2)) == "approved"


def test_no_quorum_without_eligible_agencies():
    assert TWO_THIRDS.outcome(Counts(eligible=0)) == "no_quorum"

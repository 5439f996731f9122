"""The named quorum and decision rules a round may use. Rules are data, shown on every round page.

All arithmetic is on integers (no fractions rounded by floats): a rule is a quorum test and a
decision test over the counts of one closed round.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Counts:
    """What a closed round counted. `approve` excludes approvals with remarks."""

    eligible: int
    approve: int = 0
    approve_remarks: int = 0
    object: int = 0
    abstain: int = 0

    @property
    def approvals(self) -> int:
        return self.approve + self.approve_remarks

    @property
    def voted(self) -> int:
        return self.approvals + self.object + self.abstain


@dataclass(frozen=True)
class Rule:
    code: str
    name: Promise
    quorum_text: Promise
    decision_text: Promise
    # Quorum: at least quorum_num/quorum_den of the eligible agencies voted ("at_least"), or more
    # than that share ("more_than"). Abstentions count towards the quorum when abstain_in_quorum.
    quorum_num: int
    quorum_den: int
    quorum_strict: bool
    abstain_in_quorum: bool
    # Decision: "approvals_outnumber_objections", "approvals_over_half_of_eligible" or
    # "no_objection" (with every eligible agency voting, enforced by a 1/1 quorum).
    decision: str

    def quorum_met(self, counts: Counts) -> bool:
        present = counts.voted if self.abstain_in_quorum else counts.voted - counts.abstain
        if counts.eligible == 0:
            return False
        left, right = present * self.quorum_den, counts.eligible * self.quorum_num
        return left > right if self.quorum_strict else left >= right

    def approved(self, counts: Counts) -> bool:
        if self.decision == "approvals_outnumber_objections":
            return counts.approvals > counts.object
        if self.decision == "approvals_over_half_of_eligible":
            return counts.approvals * 2 > counts.eligible
        if self.decision == "no_objection":
            return counts.object == 0 and counts.approvals > 0
        raise ValueError(f"unknown decision {self.decision!r}")

    def outcome(self, counts: Counts) -> str:
        """'no_quorum', 'approved' or 'rejected' (the values of Round.Outcome)."""
        if not self.quorum_met(counts):
            return "no_quorum"
        return "approved" if self.approved(counts) else "rejected"


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            code="two_thirds_quorum_simple_majority",
            name=_("Two-thirds quorum, simple majority"),
            quorum_text=_(
                "At least two thirds of the invited agencies vote; abstentions count "
                "towards the quorum."
            ),
            decision_text=_(
                "Approved when approvals (with or without remarks) outnumber objections."
            ),
            quorum_num=2,
            quorum_den=3,
            quorum_strict=False,
            abstain_in_quorum=True,
            decision="approvals_outnumber_objections",
        ),
        Rule(
            code="simple_quorum_absolute_majority",
            name=_("Simple quorum, absolute majority"),
            quorum_text=_(
                "More than half of the invited agencies vote; abstentions count towards the quorum."
            ),
            decision_text=_(
                "Approved when approvals (with or without remarks) are more than half of the "
                "invited agencies."
            ),
            quorum_num=1,
            quorum_den=2,
            quorum_strict=True,
            abstain_in_quorum=True,
            decision="approvals_over_half_of_eligible",
        ),
        Rule(
            code="unanimity",
            name=_("Unanimity"),
            quorum_text=_("Every invited agency votes."),
            decision_text=_(
                "Approved when no agency objects and at least one approves; abstentions "
                "do not block."
            ),
            quorum_num=1,
            quorum_den=1,
            quorum_strict=False,
            abstain_in_quorum=True,
            decision="no_objection",
        ),
    )
}

DEFAULT_RULE = "two_thirds_quorum_simple_majority"
RULE_CHOICES = [(rule.code, rule.name) for rule in RULES.values()]

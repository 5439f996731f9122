"""Who may see and do what in agency voting. Named predicates, each tested in tests/voting.

Decision: the developing agency is never invited to vote on its own draft. Anyone who may read
the draft may follow a round (who has voted, never how, until it closes); only a voter of an
invited agency votes, and only for that agency; only the secretariat opens and closes rounds.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from drafts.models import Draft
from drafts.permissions import can_view_draft
from sovaz.accounts.models import Agency
from sovaz.accounts.permissions import AnyUser, is_official, is_secretariat, voter_agency_ids
from voting.models import Round


def can_view_round(user: AnyUser, voting_round: Round) -> bool:
    return can_view_draft(user, voting_round.draft)


def can_open_round(user: AnyUser, draft: Draft) -> bool:
    return is_secretariat(user) and draft.status == Draft.Status.DISCUSSION


def can_close_round(user: AnyUser, voting_round: Round) -> bool:
    """The secretariat closes an open round; when is a rule of the service (round_close)."""
    return is_secretariat(user) and voting_round.is_open


def invited_agency_ids(voting_round: Round) -> set[int]:
    cache = voting_round.__dict__.setdefault("_invited_ids", None)
    if cache is None:
        cache = set(voting_round.invitations.values_list("agency_id", flat=True))
        voting_round.__dict__["_invited_ids"] = cache
    return cache


def ballot_agencies(user: AnyUser, voting_round: Round) -> list[Agency]:
    """The invited agencies this user votes for (usually one)."""
    ids = voter_agency_ids(user) & invited_agency_ids(voting_round)
    return list(Agency.objects.filter(pk__in=ids).order_by("name_en"))


def is_invited_voter(user: AnyUser, voting_round: Round, agency: Agency | int) -> bool:
    """A voter of `agency`, and `agency` is invited to this round."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return agency_id in voter_agency_ids(user) and agency_id in invited_agency_ids(voting_round)


def can_vote(user: AnyUser, voting_round: Round, agency: Agency | int) -> bool:
    """An invited agency's voter, while the round is open (the deadline is the service's)."""
    return voting_round.is_open and is_invited_voter(user, voting_round, agency)


def can_see_receipts(user: AnyUser, voting_round: Round, agency_id: int) -> bool:
    """A vote's content is the agency's (and the secretariat's) until the round closes."""
    if not voting_round.is_open:
        return can_view_round(user, voting_round)
    return agency_id in voter_agency_ids(user) or is_secretariat(user)


def can_list_all_rounds(user: AnyUser) -> bool:
    return is_official(user)


def get_round_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Round:
    """Load a round: 404 to those who may not see it, 403 on write to all but invited voters."""
    try:
        voting_round = Round.objects.select_related(
            "draft", "draft__agency", "version", "opened_by"
        ).get(pk=pk)
    except Round.DoesNotExist:
        raise Http404(_("No such voting round.")) from None
    if not can_view_round(user, voting_round):
        raise Http404(_("No such voting round."))
    if write and not (voter_agency_ids(user) & invited_agency_ids(voting_round)):
        raise PermissionDenied(_("Only voters of the invited agencies vote in this round."))
    return voting_round

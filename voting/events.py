"""The live who-has-voted feed: one group name, one public payload, sent after commit.

The payload names the agencies that have voted, never their choices; after the close it adds the
outcome and the counts (which are public from then on).
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from voting.models import Round, RoundInvitation, Vote

logger = logging.getLogger(__name__)


def round_group(round_id: int) -> str:
    return f"voting.round.{round_id}"


def round_state(round_id: int) -> dict[str, Any]:
    """The public state of a round, as sent over the socket and embedded in the status page."""
    voting_round = Round.objects.get(pk=round_id)
    voted = set(Vote.objects.filter(round_id=round_id).values_list("agency_id", flat=True))
    invited = RoundInvitation.objects.filter(round_id=round_id).select_related("agency")
    agencies = sorted(
        (
            {"code": i.agency.code, "name": i.agency.name, "voted": i.agency_id in voted}
            for i in invited
        ),
        key=lambda a: a["name"],
    )
    state: dict[str, Any] = {
        "round": round_id,
        "status": voting_round.status,
        "eligible": voting_round.eligible_count,
        "voted_count": len(voted),
        "agencies": agencies,
    }
    if not voting_round.is_open:
        state["result"] = {
            "outcome": voting_round.outcome,
            "turnout": voting_round.turnout,
            "quorum_met": voting_round.quorum_met,
            "approve": voting_round.approve_count,
            "approve_remarks": voting_round.approve_remarks_count,
            "object": voting_round.object_count,
            "abstain": voting_round.abstain_count,
            "result_hash": voting_round.result_hash,
        }
    return state


def _send(round_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            round_group(round_id), {"type": "round.state", "state": round_state(round_id)}
        )
    except Exception:
        # The vote is committed; a lost live update costs a reload, an error here would turn a
        # recorded vote into an error page. Watchers get the full state again on reconnect.
        logger.exception("could not publish the state of round %s", round_id)


def round_state_publish(round_id: int) -> None:
    """Send the round's public state to its watchers once the current transaction commits."""
    transaction.on_commit(lambda: _send(round_id))

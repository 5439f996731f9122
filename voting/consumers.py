from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from voting import events, permissions, services
from voting.models import Round


@database_sync_to_async
def _state_for(user, round_id: int) -> dict | None:
    """The round's public state, or None when this user may not see the round."""
    voting_round = Round.objects.select_related("draft").filter(pk=round_id).first()
    if voting_round is None or not permissions.can_view_round(user, voting_round):
        return None
    services.round_close_if_overdue(voting_round=voting_round)  # the check on access
    return events.round_state(round_id)


class RoundConsumer(AsyncJsonWebsocketConsumer):
    """Who has voted in one round, live. Listens only; anything sent in is ignored."""

    async def connect(self) -> None:
        self.round_id = int(self.scope["url_route"]["kwargs"]["round_id"])
        state = await _state_for(self.scope.get("user"), self.round_id)
        if state is None:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(events.round_group(self.round_id), self.channel_name)
        await self.accept()
        await self.send_json({"type": "round.state", "state": state})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "round_id"):
            await self.channel_layer.group_discard(
                events.round_group(self.round_id), self.channel_name
            )

    async def receive_json(self, content, **kwargs) -> None:
        return None

    async def round_state(self, event: dict) -> None:
        await self.send_json({"type": "round.state", "state": event["state"]})

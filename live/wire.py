"""The wire format of live events: serialised once, the same bytes live and on replay."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from live.models import LiveEvent


def dumps(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def event_text(event: LiveEvent) -> str:
    """One event as a JSON object: {"type": "event", "seq", "kind", "data"}."""
    return dumps(event.as_message())


def batch_text(event_texts: list[str]) -> str:
    """Several serialised events as one frame, without parsing them again."""
    if len(event_texts) == 1:
        return event_texts[0]
    return '{"type":"batch","events":[' + ",".join(event_texts) + "]}"

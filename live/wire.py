"""The wire format of live events: serialised once, the same bytes live and on replay."""

import json
from functools import lru_cache
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


@lru_cache(maxsize=4096)
def localise(text: str, language: str | None) -> str:
    """The event for a viewer of `language`: a per-language `data.html` keeps only theirs.

    Events carry their rendered fragment in every site language; each viewer needs one, so this
    cuts what every socket is sent to about a third. Cached: one parse per event and language.
    """
    if language is None or '"html":{' not in text:
        return text
    event = json.loads(text)
    html = event.get("data", {}).get("html")
    if not isinstance(html, dict) or not isinstance(html.get(language), str):
        return text
    event["data"]["html"] = html[language]
    return dumps(event)

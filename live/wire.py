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


class SharedText(str):
    """A frame's text that keeps its UTF-8 bytes, for the frame every viewer is sent.

    Daphne turns each `websocket.send` text into bytes with `text.encode("utf8")`, once per
    socket: in the 5,000-viewer flood one ~20 kB frame was encoded for each of a process's
    2,500 sockets (10-15 % of each Daphne process in py-spy). This text is encoded once; the
    bytes are immutable, so handing every socket the same object is safe. Any other encoding
    or error handler goes through `str.encode` as usual.
    """

    utf8: bytes

    def __new__(cls, text: str) -> "SharedText":
        self = super().__new__(cls, text)
        self.utf8 = text.encode()
        return self

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        if errors == "strict" and encoding.lower() in ("utf8", "utf-8", "utf_8"):
            return self.utf8
        return str.encode(self, encoding, errors)


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

# Uzbek spells o' and g' with U+2018 and U+02BB as letters; they are not typos.
"""The shared text's ready-made websocket frame, checked against the `websockets` library."""

import json

import pytest
from websockets.frames import Frame, Opcode

from live.frame import SharedText

UZBEK_AND_CYRILLIC = "O‘zbekiston Respublikasi qonuni — Закон Республики Узбекистан: ўқинг, ғалаба"


def reference_frame(data: bytes) -> bytes:
    """An unmasked, final, uncompressed TEXT frame as the websockets library serialises it."""
    return Frame(Opcode.TEXT, data).serialize(mask=False)


@pytest.mark.parametrize("length", [0, 1, 125, 126, 127, 65535, 65536, 70_000])
def test_frame_matches_the_websockets_library_at_every_length_form(length):
    text = SharedText("x" * length)
    assert text.frame == reference_frame(b"x" * length)
    assert len(text.frame) - length == (2 if length < 126 else 4 if length < 65536 else 10)


@pytest.mark.parametrize(
    "plain",
    [
        UZBEK_AND_CYRILLIC,  # 76 characters, 116 bytes: the 7-bit form
        "ў" * 100,  # 100 characters, 200 bytes: the 16-bit form, though < 126 characters
        "Ўзбек " * 6000,  # 36,000 characters, 66,000 bytes: the 64-bit form
        UZBEK_AND_CYRILLIC * 800,
    ],
)
def test_frame_length_counts_utf8_bytes_not_characters(plain):
    text = SharedText(plain)
    assert text.utf8 == plain.encode("utf-8")
    assert text.frame == reference_frame(plain.encode("utf-8"))


def test_frame_is_built_once_and_the_text_stays_a_string():
    plain = json.dumps({"type": "event", "html": UZBEK_AND_CYRILLIC}, ensure_ascii=False)
    text = SharedText(plain)
    assert text.frame is text.frame
    assert text == plain and isinstance(text, str)
    assert json.loads(text) == json.loads(plain)


@pytest.mark.parametrize("encoding", ["utf-8", "UTF-8", "utf8", "utf_8"])
def test_utf8_encodings_return_the_kept_bytes(encoding):
    text = SharedText(UZBEK_AND_CYRILLIC)
    assert text.encode() is text.utf8
    assert text.encode(encoding) is text.utf8
    assert text.encode(encoding) == UZBEK_AND_CYRILLIC.encode("utf-8")


def test_other_encodings_and_error_handlers_still_work():
    text = SharedText(UZBEK_AND_CYRILLIC)
    assert text.encode("utf-16") == UZBEK_AND_CYRILLIC.encode("utf-16")
    assert SharedText("Закон").encode("cp1251") == "Закон".encode("cp1251")
    assert text.encode("ascii", "replace") == UZBEK_AND_CYRILLIC.encode("ascii", "replace")
    assert text.encode("utf-8", errors="ignore") == UZBEK_AND_CYRILLIC.encode("utf-8")
    with pytest.raises(UnicodeEncodeError):
        text.encode("ascii")

"""The text of a frame the live hub sends to many sockets, encoded and framed once.

No Django imports: `live.server` loads this before Django is set up.
"""

from functools import cached_property


class SharedText(str):
    """A frame's text that keeps its UTF-8 bytes, for the frame every viewer is sent.

    Daphne turns each `websocket.send` text into bytes with `text.encode("utf8")`, once per
    socket: in the 5,000-viewer flood one ~20 kB frame was encoded for each of a process's
    2,500 sockets (10-15 % of each Daphne process in py-spy). This text is encoded once; the
    bytes are immutable, so handing every socket the same object is safe. Any other encoding
    or error handler goes through `str.encode` as usual. Under `live.server` the ready-made
    `frame` is written to each socket as it is.
    """

    utf8: bytes

    def __new__(cls, text: str) -> "SharedText":
        self = super().__new__(cls, text)
        self.utf8 = text.encode()
        return self

    @cached_property
    def frame(self) -> bytes:
        """The unmasked, unfragmented websocket text frame a server sends with this text."""
        length = len(self.utf8)
        if length < 126:
            header = bytes([0x81, length])
        elif length < 1 << 16:
            header = bytes([0x81, 126]) + length.to_bytes(2)
        else:
            header = bytes([0x81, 127]) + length.to_bytes(8)
        return header + self.utf8

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        if errors == "strict" and encoding.lower() in ("utf8", "utf-8", "utf_8"):
            return self.utf8
        return str.encode(self, encoding, errors)

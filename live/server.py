"""Daphne, with a direct write for the frames the live hub shares between sockets.

Run it exactly as Daphne is run (same options):

    python -m live.server -b 127.0.0.1 -p 8000 sovaz.asgi:application

Daphne passes each `websocket.send` through autobahn (frame it, queue it) and Twisted (buffer it,
register the socket with epoll for writing, wait for the next turn of the loop, send, unregister).
In the 5,000-viewer comment flood that machinery, not the bytes, was most of what each send
cost. The hub hands every socket of a draft the same `SharedText`, whose websocket frame is
built once (`SharedText.frame`); this server writes that frame straight to the socket when
nothing is waiting in front of it, as asyncio's own transports do, and hands everything else
to Daphne unchanged: other messages, TLS, sockets that are closing or busy.

Order is kept: the direct write is taken only when autobahn's queue and Twisted's buffer are
both empty, and whatever the kernel does not take at once goes into Twisted's buffer, in front
of any later write.
"""

from daphne.cli import CommandLineInterface as DaphneCommandLine
from daphne.server import Server as DaphneServer

from live.frame import SharedText


def write_frame(protocol, frame: bytes) -> bool:
    """Send a ready websocket frame on an open plain-TCP socket; False to leave it to Daphne."""
    if protocol.state != protocol.STATE_OPEN or protocol.send_queue:
        return False
    transport = protocol.transport
    if (
        getattr(transport, "TLS", True)  # TLS has a buffer of its own; so do unknown transports
        or not transport.connected
        or transport.disconnecting
        or transport._writeDisconnected
    ):
        return False
    if transport._tempDataLen or transport.offset < len(transport.dataBuffer):
        transport.write(frame)  # earlier bytes are still waiting: queue behind them
        return True
    try:
        sent = transport.socket.send(frame)
    except (BlockingIOError, InterruptedError):
        sent = 0
    except OSError:
        return False  # a broken connection: Twisted's own write notices and reports it
    if sent < len(frame):
        transport.write(frame[sent:])
    return True


class Server(DaphneServer):
    async def handle_reply(self, protocol, message):
        text = message.get("text")
        if (
            type(text) is SharedText
            and message["type"] == "websocket.send"
            and protocol in self.connections
            and not self.connections[protocol].get("disconnected")
            and write_frame(protocol, text.frame)
        ):
            return
        await super().handle_reply(protocol, message)


class CommandLineInterface(DaphneCommandLine):
    server_class = Server


if __name__ == "__main__":
    CommandLineInterface.entrypoint()

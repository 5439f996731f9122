"""The middleware of every websocket: cookies, the session (read only) and the user."""

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, InstanceSessionWrapper, SessionMiddleware


class ReadOnlySessionMiddleware(SessionMiddleware):
    """Channels' session middleware for sockets, which read the session and never change it.

    Channels wraps `send` to save a changed session with an HTTP response, and so checks the
    session on every message sent; a socket sends no HTTP response, and in the comment flood
    that check was half of what each fan-out send cost. The session is loaded the same way;
    `send` is passed on as it is.
    """

    async def __call__(self, scope, receive, send):
        wrapper = InstanceSessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, send)


def SocketAuthMiddlewareStack(inner):  # named like Channels' AuthMiddlewareStack
    return CookieMiddleware(ReadOnlySessionMiddleware(AuthMiddleware(inner)))

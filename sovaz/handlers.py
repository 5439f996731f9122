"""Django's ASGI handler, with each request's middleware and view run in one thread call.

Every middleware and view of SOVAZ is synchronous. Django's ASGI handler still builds an
asynchronous middleware chain, so a request crossed between the event loop and its worker
thread about seven times (the chain, the innermost handler, CSRF's `process_view`, the view,
and back), and each crossing waited for the event loop, which is also the live fan-out's.
This handler runs the synchronous chain, as under WSGI, in one `sync_to_async` call. Reading
the body, the request signals and sending the response stay Django's own. An async view or
middleware added later would still work, called through `async_to_sync` like under WSGI.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class SyncChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

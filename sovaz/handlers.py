"""Django's ASGI handler, with each request's synchronous work done in one thread call, on a
thread kept for the next request.

Every middleware and view of SOVAZ is synchronous. Django's ASGI handler still builds an
asynchronous middleware chain, so a request crossed between the event loop and its worker
thread about seven times (the `request_started` signal, the chain, the innermost handler,
CSRF's `process_view`, the view, closing the response), each crossing waiting for the event
loop, which is also the live fan-out's. And each request got a thread of its own, started for
it and joined after it. Here:

- the `request_started` signal, the synchronous chain and view (as under WSGI) and, for a
  response whose body is already built, closing it (`request_finished`: the database
  connection goes back to the pool) run in ONE `sync_to_async` call;
- that call runs on a thread kept from an earlier request (a `ThreadSensitiveContext` with an
  executor of one thread, asgiref's own way of choosing the thread), so no thread is started
  per request. Everything the request does in threads still happens on its one thread, as
  before: a streaming response's iterator and its closing too, which keeps a CSV export's
  cursor and its database connection on the thread that opened them.

Reading the body, sending the response and listening for a disconnect while a streaming body
is sent stay Django's own. An async view or middleware added later would still work, called
through `async_to_sync` as under WSGI. A handful of requests at once is the normal case; a
burst starts more threads, and up to `IDLE_THREADS` of them are kept.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse, HttpResponseBase
from django.urls import set_script_prefix

IDLE_THREADS = 32


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self._idle: list[ThreadPoolExecutor] = []

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        # The most recently used thread first: its caches are the warmest.
        executor = self._idle.pop() if self._idle else self._new_thread()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            # A request cancelled while its view still runs leaves the thread busy; the next
            # request given it waits for it, as calls on one thread do.
            if len(self._idle) < IDLE_THREADS:
                self._idle.append(executor)
            else:
                executor.shutdown(wait=False)

    @staticmethod
    def _new_thread() -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    async def handle(self, scope, receive, send) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            set_script_prefix(get_script_prefix(scope))
            response = await sync_to_async(self.respond, thread_sensitive=True)(scope, body_file)
            if not response.streaming:
                await self.send_response(response, send)
                return
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(self.listen_for_disconnect(receive))
                    await self.send_response(response, send)
                    raise _Sent
            except* (_Sent, RequestAborted):
                pass
            finally:
                await sync_to_async(response.close, thread_sensitive=True)()

    def respond(self, scope, body_file) -> HttpResponseBase:
        """The request's synchronous part, on its thread: everything but the sending."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if not response.streaming:
            response.close()  # its body is built; request_finished frees the connection now
        return response


class _Sent(Exception):
    """Ends the task group that listens for a disconnect once the body is sent."""

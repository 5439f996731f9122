"""HTTP through `sovaz.asgi.application`: the synchronous middleware chain and the view run in
one thread call per request (SyncChainASGIHandler), and pages, refusals and JSON are as before.

The probe view below is served by this module's URLconf (the site's URLs plus /test-probe/), so
the request goes through the real application and every middleware of settings.MIDDLEWARE.
"""

import asyncio
import itertools
import json
import sys
import threading
from urllib.parse import urlencode

import pytest
from asgiref.sync import AsyncToSync, SyncToAsync
from channels.testing import HttpCommunicator
from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import path
from django.utils.module_loading import import_string

from discussions.models import Comment
from live.testing import run_async
from sovaz.asgi import application
from sovaz.urls import urlpatterns as site_urlpatterns
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_SECRET = "AsgiHandlerTestsCsrfSecret012345"  # any 32 letters/digits form a valid secret


def probe(request: HttpRequest) -> JsonResponse:
    """What the view's own thread has on its stack, down to the call that entered it."""
    seen: list[str] = []  # the class of each method's `self` and each function's own name
    crossings_back_to_the_loop = 0
    frame = sys._getframe()
    while frame is not None:
        owner = frame.f_locals.get("self")
        if isinstance(owner, SyncToAsync) and frame.f_code.co_name == "thread_handler":
            break  # the thread call that runs this request's synchronous part
        if isinstance(owner, AsyncToSync):
            crossings_back_to_the_loop += 1
        if owner is not None:
            seen.append(dotted_name(type(owner)))
        seen.append(f"{frame.f_globals.get('__name__')}.{frame.f_code.co_qualname}")
        frame = frame.f_back
    return JsonResponse(
        {
            "entered_by_one_thread_call": frame is not None,
            "crossings_back_to_the_loop": crossings_back_to_the_loop,
            "on_the_stack": seen,
        }
    )


_thread = threading.local()
_thread_numbers = itertools.count(1)


def thread_number() -> int:
    """A number for the calling thread, given on its first call (thread idents are reused)."""
    if not hasattr(_thread, "number"):
        _thread.number = next(_thread_numbers)
    return _thread.number


def which_thread(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"thread": thread_number()})


both_in_their_views = threading.Barrier(2, timeout=5)


def meet(request: HttpRequest) -> JsonResponse:
    """Answers only once a second request is in this view at the same time."""
    both_in_their_views.wait()
    return JsonResponse({"thread": thread_number()})


streamed: list[tuple[str, int]] = []  # what the streaming view and request_finished did, in order


def stream(request: HttpRequest) -> StreamingHttpResponse:
    """A body built while it is sent, reading the database, as the CSV exports do."""
    streamed.append(("view", thread_number()))

    def rows():
        yield f"{Comment.objects.count()} comments\n"
        streamed.append(("rows", thread_number()))

    return StreamingHttpResponse(rows(), content_type="text/plain")


urlpatterns = [
    path("test-probe/", probe),
    path("test-thread/", which_thread),
    path("test-meet/", meet),
    path("test-stream/", stream),
    *site_urlpatterns,
]


def dotted_name(thing) -> str:
    return f"{thing.__module__}.{thing.__qualname__}"


def runs_on(stack: list[str], middleware) -> bool:
    """A class middleware by its instance's __call__, a function middleware (a factory) by
    the function it returned."""
    name = dotted_name(middleware)
    if isinstance(middleware, type):
        return name in stack
    return any(entry.startswith(f"{name}.<locals>.") for entry in stack)


def request(method: str, path_: str, *, body: bytes = b"", headers=()) -> dict:
    """One request through the whole ASGI application, as Daphne would pass it."""
    response: dict = {}

    async def scenario():
        communicator = HttpCommunicator(
            application, method, path_, body=body, headers=[(b"host", b"testserver"), *headers]
        )
        response.update(await communicator.get_response(timeout=10))
        await communicator.wait()

    run_async(scenario)
    response["headers"] = {k.decode().lower(): v.decode() for k, v in response["headers"]}
    return response


def asgi_messages(method: str, path_: str, sent: list[dict] | None = None) -> list[dict]:
    """Every message the application sends for one request (Channels' HttpCommunicator wants
    a body in the last one, which a streaming response of Django's does not have)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_,
        "raw_path": path_.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    sent = [] if sent is None else sent

    async def scenario():
        requests = asyncio.Queue()
        await requests.put({"type": "http.request", "body": b"", "more_body": False})

        async def send(message):
            sent.append(message)

        await asyncio.wait_for(application(scope, requests.get, send), timeout=10)

    run_async(scenario)
    return sent


def get_at_once(*paths: str) -> list[dict]:
    """GET requests sent together through the whole application."""
    responses: list[dict] = []

    async def scenario():
        communicators = [
            HttpCommunicator(application, "GET", p, headers=[(b"host", b"testserver")])
            for p in paths
        ]
        responses.extend(await asyncio.gather(*(c.get_response(timeout=10) for c in communicators)))

    run_async(scenario)
    return responses


def session_cookie(user) -> str:
    client = client_for(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def test_the_middleware_chain_and_the_view_run_in_one_thread_call(settings):
    """Every middleware is on the view's stack, above one sync_to_async entry and with no
    async_to_sync between: the request never went back to the event loop on its way in.
    (Under Django's own ASGIHandler the async-capable middleware run on the loop instead.)"""
    settings.ROOT_URLCONF = __name__
    first = json.loads(request("GET", "/test-probe/")["body"])
    second = json.loads(request("GET", "/test-probe/")["body"])
    for seen in (first, second):
        assert seen["entered_by_one_thread_call"]
        assert seen["crossings_back_to_the_loop"] == 0
        # Every middleware is below the view on that one stack, in the same thread call.
        for dotted in settings.MIDDLEWARE:
            assert runs_on(seen["on_the_stack"], import_string(dotted)), dotted


def test_a_page_is_served_with_its_content_security_policy(make_draft):
    """The CSP middleware and the template share the request's nonce."""
    make_draft(discussion=True)
    response = request("GET", "/")
    assert response["status"] == 200
    policy = response["headers"]["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"'.encode() in response["body"]  # the page and header agree


def test_a_post_without_the_csrf_token_is_refused(make_draft, citizen):
    draft = make_draft(discussion=True)
    response = request(
        "POST",
        f"/discussions/drafts/{draft.pk}/comment/",
        body=urlencode({"anchor": "draft", "body": "Salom"}).encode(),
        headers=[
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"cookie", session_cookie(citizen).encode()),
        ],
    )
    assert response["status"] == 403
    assert not Comment.objects.exists()


def test_an_unknown_address_is_not_found():
    response = request("GET", "/no-such-page/")
    assert response["status"] == 404
    assert "content-security-policy" in response["headers"]


def test_a_signed_in_json_comment_post_is_answered_with_json(make_draft, citizen):
    draft = make_draft(discussion=True)
    cookie = f"{session_cookie(citizen)}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    response = request(
        "POST",
        f"/discussions/drafts/{draft.pk}/comment/",
        body=urlencode(
            {"anchor": "draft", "body": "Salom, dunyo!", "csrfmiddlewaretoken": CSRF_SECRET}
        ).encode(),
        headers=[
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"accept", b"application/json"),
            (b"cookie", cookie.encode()),
        ],
    )
    assert response["status"] == 200
    assert response["headers"]["content-type"] == "application/json"
    answer = json.loads(response["body"])
    comment = Comment.objects.get()
    assert answer["ok"] is True
    assert answer["comment_id"] == comment.pk and comment.author == citizen
    assert answer["counts"] == {"comments": 1, "unanswered": 1}
    assert "Salom, dunyo!" in answer["html"]["en"]


def test_requests_one_after_another_are_served_on_one_kept_thread(settings):
    """No thread is started per request (Django's handler starts and joins one each time)."""
    settings.ROOT_URLCONF = __name__
    seen = {json.loads(request("GET", "/test-thread/")["body"])["thread"] for _ in range(5)}
    assert len(seen) == 1


def test_requests_at_the_same_time_each_get_a_thread(settings):
    """Two views wait for each other: on one shared thread they could never meet."""
    settings.ROOT_URLCONF = __name__
    both_in_their_views.reset()
    responses = get_at_once("/test-meet/", "/test-meet/")
    assert [r["status"] for r in responses] == [200, 200]
    threads = {json.loads(r["body"])["thread"] for r in responses}
    assert len(threads) == 2


# Django warns that it reads a synchronous iterator whole before sending it; the CSV exports'
# bodies are such iterators, and that is what this test is about.
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
def test_a_streaming_body_is_built_and_closed_on_its_request_s_thread(settings, make_draft):
    """The iterator reads the database on the view's thread (its connection is that thread's),
    and request_finished, which returns the connection, comes after the last row, there too."""
    settings.ROOT_URLCONF = __name__
    make_draft(discussion=True)
    streamed.clear()

    def record(**kwargs):
        streamed.append(("finished", thread_number()))

    request_finished.connect(record)
    try:
        messages = asgi_messages("GET", "/test-stream/")
    finally:
        request_finished.disconnect(record)
    assert messages[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in messages[1:]) == b"0 comments\n"
    view_thread = streamed[0][1]
    assert streamed == [("view", view_thread), ("rows", view_thread), ("finished", view_thread)]


def test_a_built_response_frees_its_connection_before_it_is_sent(settings):
    """request_finished (which returns the database connection) runs in the request's one
    thread call, before a byte is sent: it does not wait for the client, nor cost a second
    crossing to the thread. (Django's handler sends it after the response, from the loop.)"""
    settings.ROOT_URLCONF = __name__
    sent: list[dict] = []
    finished: list[tuple[int, int]] = []

    def record(**kwargs):
        finished.append((thread_number(), len(sent)))

    request_finished.connect(record)
    try:
        asgi_messages("GET", "/test-thread/", sent)
    finally:
        request_finished.disconnect(record)
    assert sent[0]["status"] == 200
    view_thread = json.loads(sent[1]["body"])["thread"]
    assert finished == [(view_thread, 0)]

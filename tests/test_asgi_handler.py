"""HTTP through `sovaz.asgi.application`: the synchronous middleware chain and the view run in
one thread call per request (SyncChainASGIHandler), and pages, refusals and JSON are as before.

The probe view below is served by this module's URLconf (the site's URLs plus /test-probe/), so
the request goes through the real application and every middleware of settings.MIDDLEWARE.
"""

import json
import sys
from urllib.parse import urlencode

import pytest
from asgiref.sync import AsyncToSync, SyncToAsync
from channels.testing import HttpCommunicator
from django.conf import settings
from django.http import HttpRequest, JsonResponse
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


urlpatterns = [path("test-probe/", probe), *site_urlpatterns]


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

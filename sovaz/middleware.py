from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from psycopg_pool import PoolTimeout

from sovaz.ratelimit import RateLimited


class ServiceErrorMiddleware:
    """Turns a refusal raised by a service into a page a person understands.

    Views handle the errors they expect (re-showing the form); this is the backstop so that a
    refusal is never a 500: RateLimited becomes 429 with Retry-After, ValidationError 400, and
    a request that waited in vain for a pooled database connection 503 with Retry-After.
    """

    BUSY_RETRY_AFTER = 5  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            page = render(request, "405.html", status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, RateLimited):
            response = render(request, "429.html", {"messages_list": [exc.message]}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if isinstance(exc, ValidationError):
            return render(request, "400.html", {"messages_list": exc.messages}, status=400)
        if isinstance(exc, OperationalError) and isinstance(exc.__cause__, PoolTimeout):
            # Every pooled connection stayed busy for DB_POOL_TIMEOUT: the request did nothing
            # yet. The page is rendered without the database, which is what ran out.
            context = {"LANGUAGE_CODE": translation.get_language()}
            response = HttpResponse(render_to_string("503.html", context), status=503)
            response["Retry-After"] = str(self.BUSY_RETRY_AFTER)
            return response
        return None

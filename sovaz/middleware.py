from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sovaz.ratelimit import RateLimited


class ServiceErrorMiddleware:
    """Turns a refusal raised by a service into a page a person understands.

    Views handle the errors they expect (re-showing the form); this is the backstop so that a
    refusal is never a 500: RateLimited becomes 429 with Retry-After, ValidationError 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, RateLimited):
            response = render(request, "429.html", {"messages_list": [exc.message]}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if isinstance(exc, ValidationError):
            return render(request, "400.html", {"messages_list": exc.messages}, status=400)
        return None

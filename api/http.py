"""The API's plumbing: JSON errors, token authentication, throttling, cursors and filters.

Every view is wrapped by `api_view`, so a client always gets JSON: 400 for a bad cursor or
filter, 401 for a bad token, 404, 405, 429 with Retry-After, never a 500 for hostile input.
"""

import functools
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from api.services import api_token_authenticate
from sovaz.ratelimit import RateLimited, client_ip, hit

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_CURSOR = signing.Signer(salt="api.cursor")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,32}$")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def json_response(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response


def error_response(error: ApiError) -> JsonResponse:
    response = json_response(
        {"error": {"code": error.code, "message": error.message}}, error.status
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def _authenticate_and_throttle(request: HttpRequest) -> None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    request.api_token = None  # type: ignore[attr-defined]
    if header:
        scheme, _sep, clear = header.partition(" ")
        token = api_token_authenticate(clear.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise ApiError(
                401,
                "bad_token",
                _("The bearer token is unknown or revoked."),
                {"WWW-Authenticate": 'Bearer realm="sovaz"'},
            )
        request.api_token = token  # type: ignore[attr-defined]
        hit("api", f"t{token.pk}")
    else:
        hit("api_anon", client_ip(request))


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read-only JSON endpoint: GET/HEAD only, token or anonymous, throttled, JSON errors."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method not in ("GET", "HEAD"):
                raise ApiError(
                    405, "method_not_allowed", _("This API is read-only."), {"Allow": "GET, HEAD"}
                )
            _authenticate_and_throttle(request)
            return view(request, *args, **kwargs)
        except ApiError as exc:
            return error_response(exc)
        except RateLimited as exc:
            return error_response(
                ApiError(429, "throttled", str(exc.message), {"Retry-After": str(exc.retry_after)})
            )
        except Http404:
            return error_response(ApiError(404, "not_found", _("No such resource.")))

    return wrapper


# ---------------------------------------------------------------- filters


def param(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name)
    return value if value not in (None, "") else None


def choice_param(request: HttpRequest, name: str, choices: Iterable[str]) -> str | None:
    value, allowed = param(request, name), list(choices)
    if value is not None and value not in allowed:
        raise ApiError(
            400,
            "bad_filter",
            _("%(name)s must be one of: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(allowed)},
        )
    return value


def int_param(request: HttpRequest, name: str, *, low: int = 1, high: int = 2**62) -> int | None:
    value = param(request, name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise ApiError(
            400,
            "bad_filter",
            _("%(name)s must be a whole number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return int(value)


def slug_param(request: HttpRequest, name: str) -> str | None:
    value = param(request, name)
    if value is not None and not _SLUG.match(value):
        raise ApiError(
            400, "bad_filter", _("%(name)s must be a code such as 'minjust'.") % {"name": name}
        )
    return value


def datetime_param(request: HttpRequest, name: str) -> datetime | None:
    """An ISO 8601 date or date-time; a time without a zone is taken as UTC."""
    value = param(request, name)
    if value is None:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime(day.year, day.month, day.day)
        if parsed is not None:
            # In UTC, and far enough from year 1 and 9999 that no database conversion overflows.
            parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
            if not 2 <= parsed.year <= 9998:
                parsed = None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise ApiError(
            400,
            "bad_filter",
            _("%(name)s must be an ISO 8601 date or date-time, e.g. 2026-03-01T09:00:00Z.")
            % {"name": name},
        )
    return parsed


# ---------------------------------------------------------------- cursor pagination


def page(request: HttpRequest, qs: QuerySet, serialize: Callable[[Any], dict]) -> JsonResponse:
    """One page of `qs` in id order after the opaque `cursor`, with the next page's cursor."""
    limit = int_param(request, "limit", low=1, high=MAX_LIMIT) or DEFAULT_LIMIT
    cursor = param(request, "cursor")
    if cursor is not None:
        try:
            after = _CURSOR.unsign_object(cursor)["after"]
            if not isinstance(after, int):
                raise ValueError
        except (signing.BadSignature, ValueError, TypeError, KeyError, UnicodeError):
            raise ApiError(
                400, "bad_cursor", _("The cursor is not one this API gave out.")
            ) from None
        qs = qs.filter(pk__gt=after)
    rows = list(qs.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _CURSOR.sign_object({"after": rows[-1].pk}) if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return json_response(
        {"results": [serialize(row) for row in rows], "next_cursor": next_cursor, "next": next_url}
    )

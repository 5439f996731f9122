"""Fixed-window rate limits kept in the cache, so every process shares one count.

In production the cache is Redis (see settings); the embedded default is per-process memory.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RateLimited(Exception):
    """Raised when a limit is reached; `retry_after` is in whole seconds."""

    scope: str
    retry_after: int

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        if self.retry_after < 90:
            return _("Too many attempts. Please try again in %(n)s seconds.") % {
                "n": self.retry_after
            }
        return _("Too many attempts. Please try again in %(n)s minutes.") % {"n": minutes}


def _limit(scope: str) -> tuple[int, int]:
    count, _slash, seconds = settings.RATE_LIMITS[scope].partition("/")
    return int(count), int(seconds)


def hit(scope: str, key: str, *, now: float | None = None) -> None:
    """Count one attempt by `key` (a user id or an IP) in `scope`; raise RateLimited if over."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit, window = _limit(scope)
    now = time.time() if now is None else now
    bucket = int(now // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    # add() is atomic in Redis and locmem: the first hit of a window creates the counter.
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        retry_after = max(1, int((bucket + 1) * window - now))
        raise RateLimited(scope=scope, retry_after=retry_after)


def client_ip(request) -> str:
    # Behind the proxy the real address is the last hop it appended; REMOTE_ADDR otherwise.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit_for_request(scope: str, request) -> None:
    user = getattr(request, "user", None)
    key = f"u{user.pk}" if user is not None and user.is_authenticated else client_ip(request)
    hit(scope, key)

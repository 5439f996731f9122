"""Fixed-window rate limits kept in the cache, so every process shares one count.

In production the cache is Redis (see settings); the embedded default is per-process memory.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

# Tests stand the clock still here instead of sleeping.
clock = time.time


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


def _window(scope: str, key: str, now: float | None) -> tuple[int, int, str, float]:
    limit, window = _limit(scope)
    now = clock() if now is None else now
    bucket = int(now // window)
    return limit, window, f"rl:{scope}:{key}:{bucket}", (bucket + 1) * window - now


def _count(cache_key: str, window: int) -> int:
    # add() is atomic in Redis and locmem: the first hit of a window creates the counter.
    if cache.add(cache_key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window + 1)
        return 1


def hit(scope: str, key: str, *, now: float | None = None) -> None:
    """Count one attempt by `key` (a user id or an IP) in `scope`; raise RateLimited if over."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit, window, cache_key, left = _window(scope, key, now)
    if _count(cache_key, window) > limit:
        raise RateLimited(scope=scope, retry_after=max(1, int(left)))


def check(scope: str, key: str, *, now: float | None = None) -> None:
    """Raise RateLimited if `key` has used up `scope`, without counting an attempt.

    With `record`, this limits only what failed (e.g. wrong passwords), not every attempt.
    """
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit, _window_s, cache_key, left = _window(scope, key, now)
    if (cache.get(cache_key) or 0) >= limit:
        raise RateLimited(scope=scope, retry_after=max(1, int(left)))


def record(scope: str, key: str, *, now: float | None = None) -> None:
    """Count one attempt that `check` will hold against `key` later."""
    if settings.RATE_LIMITS_ENABLED:
        _limit_s, window, cache_key, _left = _window(scope, key, now)
        _count(cache_key, window)


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

"""One Redis connection pool per process for Django's Redis cache.

Django keeps a cache object per request context, and its Redis client a pool per cache object,
so under ASGI (a fresh context for every request) each request opened a new Redis connection:
a TCP handshake, `CLIENT SETINFO`, and redis-py reading its own package metadata to say which
version it is (~5 ms of CPU per request, seen in the comment flood). The pools are thread-safe;
this class hands every cache object the same one for the same server.
"""

import threading
from collections.abc import Hashable

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _pools: dict[tuple, redis.ConnectionPool] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs):
        # The options are the cache's OPTIONS, the same for every cache object of a setting;
        # some (redis-py's driver info) are made anew each time and cannot be compared.
        key = (url, tuple(sorted((k, v) for k, v in kwargs.items() if isinstance(v, Hashable))))
        with cls._lock:
            pool = cls._pools.get(key)
            if pool is None:
                pool = cls._pools[key] = super().from_url(url, **kwargs)
        return pool

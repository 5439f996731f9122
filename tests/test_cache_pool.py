"""The Redis cache's connection pool is shared by every cache object of the process.

Django makes a cache object per thread (and per request context under ASGI), each with a pool
of its own unless `sovaz.cache.SharedConnectionPool` hands them all the same one; then many
short-lived cache objects open only as many connections as run at once.
"""

import threading
import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from sovaz.cache import SharedConnectionPool

THREADS_AT_ONCE = 4
ROUNDS = 10  # of THREADS_AT_ONCE fresh threads, each with a cache object of its own
OPERATIONS = 25  # cache calls in each thread


@pytest.fixture
def redis_url(settings) -> str:
    """The Redis server of the cache, or a skip that says how to get one."""
    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        reason = "needs Redis: set REDIS_URL=redis://…"
        print(f"skipped: {reason}")
        pytest.skip(reason)
    return settings.CACHES["default"]["LOCATION"]


def in_threads(count: int, work) -> list:
    """Run `work()` in `count` new threads at once; their results, in order."""
    results: list = [None] * count

    def run(index: int) -> None:
        results[index] = work()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_cache_objects_of_different_threads_share_one_pool(redis_url):
    def cache_and_pools():
        cache = caches["default"]
        cache.set("pool-test", "x")  # a real round trip, on a connection from the pool
        return cache, cache._cache._get_connection_pool(True), cache._cache.get_client()

    found = in_threads(6, cache_and_pools)
    cache_objects = {id(cache) for cache, _pool, _client in found}
    assert len(cache_objects) == 6  # each thread made its own cache object, as Django does
    [pool] = {id(pool) for _cache, pool, _client in found}
    assert {id(client.connection_pool) for _cache, _pool, client in found} == {pool}
    assert isinstance(found[0][1], SharedConnectionPool)
    caches["default"].delete("pool-test")


def test_each_server_and_set_of_options_has_a_pool_of_its_own():
    """No connection is made here: pools are only built, so this runs without Redis too."""

    def pool(url: str, **options) -> redis.ConnectionPool:
        params = {"OPTIONS": {"pool_class": "sovaz.cache.SharedConnectionPool", **options}}
        return RedisCache(url, params)._cache._get_connection_pool(True)

    db3 = pool("redis://127.0.0.1:6379/3")
    assert pool("redis://127.0.0.1:6379/3") is db3
    db4 = pool("redis://127.0.0.1:6379/4")
    assert db4 is not db3 and db4.connection_kwargs["db"] == 4
    assert pool("redis://127.0.0.2:6379/3") is not db3
    assert pool("redis://127.0.0.1:6379/3", socket_timeout=5) is not db3


def test_many_short_lived_cache_objects_open_a_handful_of_connections(redis_url, settings):
    """As under ASGI, where every request has a cache object of its own: 40 of them, four at
    a time, open no more connections than run at once (each its own pool opened 40)."""
    name = f"sovaz-pool-test-{uuid.uuid4().hex[:12]}"  # to count our connections by name
    config = settings.CACHES["default"]
    settings.CACHES = {
        "default": {**config, "OPTIONS": {**config.get("OPTIONS", {}), "client_name": name}}
    }
    kept = []  # every cache object stays alive, so no connection is closed before counting

    def request():
        cache = caches["default"]
        for n in range(OPERATIONS):
            key = f"pool-test-{threading.get_ident()}-{n}"
            cache.set(key, n)
            assert cache.get(key) == n
            cache.delete(key)
        return cache

    observer = redis.Redis.from_url(redis_url)
    received_before = observer.info("stats")["total_connections_received"]
    try:
        for _ in range(ROUNDS):
            kept += in_threads(THREADS_AT_ONCE, request)
        assert len({id(cache) for cache in kept}) == ROUNDS * THREADS_AT_ONCE
        ours = [client for client in observer.client_list() if client["name"] == name]
        received = observer.info("stats")["total_connections_received"] - received_before
        print(f"{len(ours)} connections named {name}; the server received {received} in all")
        assert 1 <= len(ours) <= THREADS_AT_ONCE
    finally:
        pools = {id(p): p for p in (c._cache._get_connection_pool(True) for c in kept)}
        for pool in pools.values():
            pool.disconnect()
        observer.close()

"""Real threads against a database they share, for the concurrency tests.

Runs on PostgreSQL (DATABASE_URL), or on SQLite when the test database is a file
(SQLITE_TEST_NAME=/tmp/x.sqlite3): an in-memory SQLite database cannot be shared by threads.
"""

import threading
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection, transaction

# PostgreSQL allows ~100 connections and other test runs share the server: at most this many
# threads (each with its own connection) run the attempts, all released at once by a barrier.
MAX_THREADS = 30


def require_shared_database() -> None:
    """Skip, saying why, when the test database cannot be shared by threads."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME"):
        reason = (
            "thread tests need PostgreSQL (DATABASE_URL) or a file SQLite test database "
            "(SQLITE_TEST_NAME): in-memory SQLite is not shared by threads"
        )
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)


def _pooled_connections_to_spare() -> int:
    """With Django's connection pool, no more threads than it has connections (less the test's
    own and one to spare): a thread holds its connection until it ends, so a thread beyond the
    pool waited for one and, on a busy machine, failed after the pool's timeout."""
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if not isinstance(pool, dict) or "max_size" not in pool:
        return MAX_THREADS
    return max(2, pool["max_size"] - 2)


def run_threads(targets) -> list:
    """Run every target from up to MAX_THREADS threads at once; return what each returned or
    raised, in order."""
    results: list = [None] * len(targets)
    queue = list(enumerate(targets))
    lock = threading.Lock()
    workers = min(MAX_THREADS, len(targets), _pooled_connections_to_spare())
    barrier = threading.Barrier(workers)

    def work():
        try:
            barrier.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    i, target = queue.pop(0)
                try:
                    results[i] = target()
                except Exception as exc:  # collected and asserted by the test
                    results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


@contextmanager
def row_locked_elsewhere(model, pk):
    """Hold SELECT … FOR UPDATE on one row from another thread (connection) until exit."""
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                model.objects.select_for_update().get(pk=pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10), "the other thread did not get the row lock"
        yield
    finally:
        release.set()
        thread.join()

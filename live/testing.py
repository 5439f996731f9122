"""Helpers for tests of live code (not used at run time)."""

import threading
from collections.abc import Awaitable, Callable

from asgiref.sync import async_to_sync
from django.db import connections


def run_async(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run an async test scenario to completion in a thread of its own.

    The main thread of a test session may already hold a running event loop (Playwright's sync
    API keeps one), where asyncio.run() and async_to_sync() refuse to start. Database work the
    scenario does through sync_to_async happens in that thread, on its own connections, which
    are closed at the end; so use it with transactional tests.
    """
    failure: list[BaseException] = []

    def target() -> None:
        try:
            async_to_sync(scenario)()
        except BaseException as error:
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name="live-test-scenario")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]

"""When every pooled database connection stays busy, a request gets a 503 page, not a 500."""

import pytest
from django.db import connection

from tests.conftest import client_for


@pytest.fixture
def exhausted_pool(transactional_db):
    """Hold every connection of this process's pool, with a short wait for the next one."""
    if connection.vendor != "postgresql" or connection.pool is None:
        reason = "needs PostgreSQL with the connection pool (DATABASE_URL=postgres://…)"
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    pool = connection.pool
    connection.close()  # the test's own connection goes back; the request must ask the pool
    timeout, pool.timeout = pool.timeout, 0.2
    held = [pool.getconn() for _ in range(pool.max_size)]
    try:
        yield pool
    finally:
        for held_connection in held:
            pool.putconn(held_connection)
        pool.timeout = timeout


@pytest.mark.parametrize(
    ("language", "title"), [("en", "The site is busy"), ("uz", "Sayt band"), ("ru", "Сайт занят")]
)
def test_a_request_that_finds_no_free_connection_gets_a_translated_503(
    exhausted_pool, language, title
):
    response = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert title in body
    assert f'lang="{language}"' in body

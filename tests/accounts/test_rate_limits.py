import pytest
from django.core.cache import cache
from django.urls import reverse

from sovaz import ratelimit
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/300"}
    cache.clear()
    yield
    cache.clear()


def test_fourth_failed_login_in_the_window_gets_429_with_retry_after(limits, citizen):
    client = client_for(None)
    data = {"username": citizen.email, "password": "wrong"}
    for _ in range(3):
        assert client.post(reverse("accounts:login"), data).status_code == 200
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 300
    assert "Too many attempts" in response.content.decode()


def test_limit_resets_in_the_next_window(limits):
    for _ in range(3):
        ratelimit.hit("login", "1.2.3.4", now=1000.0)
    with pytest.raises(ratelimit.RateLimited) as exc:
        ratelimit.hit("login", "1.2.3.4", now=1001.0)
    assert exc.value.retry_after == 199  # the 300 s window that began at 900 ends at 1200
    ratelimit.hit("login", "1.2.3.4", now=1200.0)


def test_limits_count_per_key(limits):
    for _ in range(3):
        ratelimit.hit("login", "1.1.1.1", now=0.0)
    ratelimit.hit("login", "2.2.2.2", now=0.0)


def test_successful_sign_ins_do_not_count_against_the_limit(limits, citizen):
    client = client_for(None)
    good = {"username": citizen.email, "password": PASSWORD}
    for _ in range(6):
        assert client.post(reverse("accounts:login"), good).status_code == 302
        client.logout()


def test_check_refuses_only_after_recorded_failures(limits):
    for _ in range(3):
        ratelimit.check("login", "9.9.9.9", now=10.0)
        ratelimit.record("login", "9.9.9.9", now=10.0)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check("login", "9.9.9.9", now=11.0)

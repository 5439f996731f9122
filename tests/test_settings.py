import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from sovaz.settings import envbool, envint


def test_envbool_accepts_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X", "Yes")
    assert envbool("X", "false") is True
    monkeypatch.setenv("X", "off")
    assert envbool("X", "true") is False


def test_envbool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("X", "treu")
    with pytest.raises(ImproperlyConfigured, match="X must be a boolean"):
        envbool("X", "false")


def test_envint_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        envint("N", "1")


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "sovaz.settings"}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_no_environment_means_sqlite_and_in_memory_layer():
    result = run_settings(
        {},
        "print(settings.DATABASES['default']['ENGINE'], "
        "settings.CHANNEL_LAYERS['default']['BACKEND'], settings.DEBUG)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "False",
    ]


def test_database_and_redis_urls_select_postgresql_and_channels_redis():
    result = run_settings(
        {"DATABASE_URL": "postgres://u@db:5432/sovaz", "REDIS_URL": "redis://cache:6379/0"},
        "print(settings.DATABASES['default']['ENGINE'], "
        "settings.CHANNEL_LAYERS['default']['BACKEND'], settings.CACHES['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"HTTPS": "true"}, "print(settings.SECRET_KEY)")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_postgresql_lends_pooled_connections_unless_persistent_ones_are_asked_for():
    show = "d = settings.DATABASES['default']; print(d['OPTIONS'].get('pool'), d['CONN_MAX_AGE'])"
    url = {"DATABASE_URL": "postgres://u@db:5432/sovaz"}
    pooled = run_settings({**url, "DB_POOL_MAX": "7"}, show)
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.strip() == "{'min_size': 2, 'max_size': 7, 'timeout': 10} 0"
    persistent = run_settings({**url, "DB_CONN_MAX_AGE": "60"}, show)
    assert persistent.stdout.strip() == "None 60"
    off = run_settings({**url, "DB_POOL": "false"}, show)
    assert off.stdout.strip() == "None 0"

"""SOVAZ settings: one module, driven by the environment.

With no environment at all SOVAZ runs on SQLite and the in-memory channel layer, so a newcomer
needs no services. ``DATABASE_URL`` selects PostgreSQL and ``REDIS_URL`` selects channels-redis
and a Redis cache, which is what production and several Daphne processes need.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
# HTTPS=true in production (behind TLS): secure cookies, HSTS and the HTTPS redirect.
HTTPS = envbool("HTTPS", "false")


def _secret_key() -> str:
    """The key from the environment; an embedded (plain-HTTP) install makes and keeps its own."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if HTTPS:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (see .env.example)")
    path = BASE_DIR / "var" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "simple_history",
    "sovaz",
    "sovaz.accounts",
    "sovaz.audit",
    "drafts",
    "live",
    "impact",
    "discussions",
    "voting",
    "eparliament",
    "reports",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sovaz.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "sovaz.urls"
ASGI_APPLICATION = "sovaz.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sovaz.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a writer holds the lock; IMMEDIATE makes a writing
    # transaction take the lock up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
elif envbool("DB_POOL", "true") and not DATABASES["default"]["CONN_MAX_AGE"]:
    # Under ASGI each request's sync code runs in a thread of its own, so Django's persistent
    # connections (CONN_MAX_AGE) cannot be reused and CONN_MAX_AGE=0 opened a new PostgreSQL
    # backend for every request: in the comment flood that was most of a POST's time (see
    # docs/BENCHMARKS.md). Django's psycopg pool lends an open connection to each request.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": envint("DB_POOL_MIN", "2"),
            "max_size": envint("DB_POOL_MAX", "20"),
            "timeout": envint("DB_POOL_TIMEOUT", "10"),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer costs about half of the classic list-based layer per group
            # message (measured in bench/), and group broadcast is all SOVAZ sends.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("REDIS_PREFIX", "sovaz"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_PREFIX", "sovaz"),
            "OPTIONS": {"pool_class": "sovaz.cache.SharedConnectionPool"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "uz")
LANGUAGES = [("uz", _("Uzbek")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tashkent"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and envbool("STATIC_MANIFEST", "true")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Security. Cookies are secure and HTTP is redirected whenever SOVAZ is served over HTTPS.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", "true")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", "false") else None
)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Preloading is a decision for the operator to take with the browser vendors, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# E-mail: SMTP in production, the console elsewhere (a newcomer sees mails in the terminal).
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND") or (
    SMTP_BACKEND if HTTPS else "sovaz.mail.ReadableConsoleBackend"
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", "25"),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS", "false"),
            # A mail server that hangs must not hold the sender past its claim on a mail.
            "timeout": envint("EMAIL_TIMEOUT", "30"),
        }
        if EMAIL_BACKEND_PATH == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SOVAZ <noreply@sovaz.example>")

# Minimum public discussion period in days, by impact level (low, medium, high).
DISCUSSION_MIN_DAYS = {
    "low": envint("DISCUSSION_MIN_DAYS_LOW", "10"),
    "medium": envint("DISCUSSION_MIN_DAYS_MEDIUM", "15"),
    "high": envint("DISCUSSION_MIN_DAYS_HIGH", "20"),
}

# A draft opens for public discussion only with a complete impact assessment.
IMPACT_ASSESSMENT_REQUIRED = envbool("IMPACT_ASSESSMENT_REQUIRED", "true")

# Signs vote receipts: base64 of a raw 32-byte Ed25519 private key. Empty on an embedded (plain
# HTTP) install: one is generated into var/voting_ed25519.key; required when HTTPS=true.
VOTING_SIGNING_KEY = os.environ.get("VOTING_SIGNING_KEY", "")

# Rate limits on writes: "count/seconds", shared by all processes through the cache.
RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "10/300"),
    "register": os.environ.get("RATE_LIMIT_REGISTER", "5/3600"),
    "comment": os.environ.get("RATE_LIMIT_COMMENT", "10/60"),
    "report": os.environ.get("RATE_LIMIT_REPORT", "20/3600"),
    "write": os.environ.get("RATE_LIMIT_WRITE", "60/60"),
    # Laying out a report as PDF costs about a second of CPU; anyone may ask for a public one.
    "pdf": os.environ.get("RATE_LIMIT_PDF", "30/600"),
    "api": os.environ.get("RATE_LIMIT_API", "600/60"),
    "api_anon": os.environ.get("RATE_LIMIT_API_ANON", "60/60"),
}
RATE_LIMITS_ENABLED = envbool("RATE_LIMITS_ENABLED", "true")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "sovaz.logfilters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

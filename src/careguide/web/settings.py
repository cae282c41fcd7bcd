"""Django settings: every deployment choice comes from an environment variable (see docs/deploy.md).

SQLite in CAREGUIDE_DATA_DIR by default; PostgreSQL (or any database Django supports) by DATABASE_URL.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from careguide.web.env import env_bool, env_int, env_list, env_phone, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CAREGUIDE_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("CAREGUIDE_DEBUG", False)


def _secret_key() -> str:
    key = env_str("CAREGUIDE_SECRET_KEY", "")
    if key:
        return key
    # One machine without a configured key: keep a random key in the data directory so that sessions
    # survive restarts. Several machines must share CAREGUIDE_SECRET_KEY.
    path = DATA_DIR / "secret_key"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"set CAREGUIDE_SECRET_KEY, or make {path.parent} writable ({exc})") from exc


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("CAREGUIDE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CAREGUIDE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "careguide.web.guides",
    "careguide.web.checker",
    "careguide.web.stories",
    "careguide.web.feedback",
    "careguide.web.api",
    "careguide.web.limits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "careguide.web.errors.ApiBodyLimitMiddleware",
    "careguide.web.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "careguide.web.urls"
WSGI_APPLICATION = "careguide.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careguide.web.guides.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'careguide.sqlite3'}"),
        conn_max_age=env_int("CAREGUIDE_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one file: a writer waits for the lock (up to `timeout` seconds)
    # instead of failing with "database is locked". IMMEDIATE takes the write lock when a transaction
    # starts, so a transaction never has to upgrade a read lock (which SQLite refuses at once rather than
    # wait); WAL lets readers go on while one writer writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("CAREGUIDE_SQLITE_TIMEOUT", 30, minimum=1),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "careguide_cache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Brute force on /admin/login/ (django-axes): after CAREGUIDE_LOGIN_FAILURE_LIMIT failed sign-ins from one
# address, or for one user name, sign-in is refused (429) for CAREGUIDE_LOGIN_LOCKOUT_MINUTES after the last
# failure, even with the right password. An operator lifts a lock at once with `careguide manage
# axes_reset_username NAME` / `axes_reset_ip ADDRESS` / `axes_reset`, or by deleting the access attempt in the
# admin. Failed attempts (user name, address, browser) are kept only while they count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("CAREGUIDE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CAREGUIDE_LOGIN_LOCKOUT_MINUTES", 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "careguide.web.limits.rate.client_address"  # honours CAREGUIDE_TRUSTED_PROXIES
AXES_DISABLE_ACCESS_LOG = True  # no record of successful sign-ins and their addresses
AXES_LOCKOUT_TEMPLATE = "careguide/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `careguide serve` collects static files with hashed names (cacheable for ever); without it, files are
# served straight from the package.
STATIC_MANIFEST = env_bool("CAREGUIDE_STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STATIC_ROOT = DATA_DIR / "static" if STATIC_MANIFEST else None

# Sessions: a strictly necessary cookie (quiz ownership, one feedback vote per guide), no tracking.
SESSION_COOKIE_NAME = "careguide_session"
SESSION_COOKIE_AGE = env_int("CAREGUIDE_SESSION_DAYS", 7, minimum=1) * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("CAREGUIDE_SECURE_COOKIES", not DEBUG and env_bool("CAREGUIDE_HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("CAREGUIDE_HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

# CareGuide itself.
CAREGUIDE_KB = env_str("CAREGUIDE_KB", "")  # knowledge pack directory; empty = the shipped one
CAREGUIDE_QUIZ_RETENTION_HOURS = env_int("CAREGUIDE_QUIZ_RETENTION_HOURS", 24, minimum=1)
CAREGUIDE_STORIES_PER_HOUR = env_int("CAREGUIDE_STORIES_PER_HOUR", 3, minimum=1)
CAREGUIDE_VOTE_WINDOW_HOURS = env_int("CAREGUIDE_VOTE_WINDOW_HOURS", 24, minimum=1)
# JSON API throttles per client address ("N/second|minute|hour|day", or "off"); parsing text costs more.
CAREGUIDE_API_RATE = env_rate("CAREGUIDE_API_RATE", "120/minute")
CAREGUIDE_API_PARSE_RATE = env_rate("CAREGUIDE_API_PARSE_RATE", "30/minute")
# Largest request body the API reads; a larger one gets a JSON 413 before anything is parsed.
CAREGUIDE_API_MAX_BODY_BYTES = env_int("CAREGUIDE_API_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
# Addresses (or networks) of reverse proxies whose X-Forwarded-For is believed; empty: none is.
CAREGUIDE_TRUSTED_PROXIES = env_list("CAREGUIDE_TRUSTED_PROXIES", [])
for _proxy in CAREGUIDE_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"CAREGUIDE_TRUSTED_PROXIES must list IP addresses or networks, got {_proxy!r}"
        ) from None
CAREGUIDE_GUIDE_CACHE_SECONDS = env_int("CAREGUIDE_GUIDE_CACHE_SECONDS", 300)
# Where the results send people (UK defaults; e.g. 112 in the EU, 911 in the US): numbers become tap-to-call
# links, names are said in sentences. See docs/deploy.md, "Where to go".
CAREGUIDE_EMERGENCY_NUMBER = env_phone("CAREGUIDE_EMERGENCY_NUMBER", "999")
CAREGUIDE_URGENT_NUMBER = env_phone("CAREGUIDE_URGENT_NUMBER", "111")
CAREGUIDE_EMERGENCY_DEPARTMENT = env_str("CAREGUIDE_EMERGENCY_DEPARTMENT", "A&E (the emergency department)")
CAREGUIDE_URGENT_SERVICE = env_str("CAREGUIDE_URGENT_SERVICE", "NHS 111")
CAREGUIDE_GP_SERVICE = env_str("CAREGUIDE_GP_SERVICE", "your GP surgery")
CAREGUIDE_ORGANISATION = env_str("CAREGUIDE_ORGANISATION", "CareGuide")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CAREGUIDE_LOG_LEVEL", "WARNING")},
}

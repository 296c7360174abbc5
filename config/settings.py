"""Attune's one settings module.

Laptop defaults are embedded (SQLite file, in-memory channel layer); every
production difference comes from environment variables, read strictly by
``config.env.Env``. ``ATTUNE_MODE=production`` makes SECRET_KEY, DATABASE_URL,
REDIS_URL, ALLOWED_HOSTS and PUBLIC_BASE_URL required.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()
# Local state of the embedded defaults (SQLite file, collected static files); git-ignored.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)

PRODUCTION = env.production
DEBUG = env.bool("DEBUG", not PRODUCTION)
_DEV_SECRET = "insecure-development-key-never-use-in-production"
SECRET_KEY = env.raw("SECRET_KEY", _DEV_SECRET, required_in_production=True)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 32 characters in production.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if not PRODUCTION else [], required_in_production=True
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "workshops",
    "realtime",
    "feedback",
    # The outgoing e-mail queue (workshops/mail_queue.py) and the database storage of its attachments.
    "post_office",
    "dbfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env.url("DATABASE_URL", ("postgres", "postgresql", "sqlite"), required_in_production=True)
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc.__class__.__name__}.") from None
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "var" / "attune.sqlite3")}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE transactions take the
    # write lock up front, so concurrent writers wait (busy timeout) instead of
    # failing on lock upgrade.
    _db.setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # A file, not memory, so the ASGI consumer threads of socket tests see the test's rows;
    # named after the database, so two checkouts' suites never share one.
    _name = Path(_db["NAME"])
    _db["TEST"] = {"NAME": str(_name.with_name(f"test-{_name.name}"))}
else:
    # A pool of connections per process (psycopg_pool, through Django's OPTIONS["pool"]): without it every hop into
    # a database thread opens and closes a PostgreSQL connection (CONN_MAX_AGE must stay 0 under ASGI, where each
    # request runs in a thread of its own), which was most of a socket's connect cost (docs/performance.md).
    # Connections go back to the pool when Django would close them; DATABASE_POOL_MAX bounds them per process.
    _pool = {
        "min_size": env.int("DATABASE_POOL_MIN", 2, minimum=0),
        "max_size": env.int("DATABASE_POOL_MAX", 20, minimum=1),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
    }
    if _pool["max_size"] < _pool["min_size"]:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MAX ({_pool['max_size']}) must be at least DATABASE_POOL_MIN ({_pool['min_size']})."
        )
    _db["CONN_HEALTH_CHECKS"] = False  # the pool checks a connection when it is taken back
    _db.setdefault("OPTIONS", {})["pool"] = _pool
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ---------------------------------------------
REDIS_URL = env.url("REDIS_URL", ("redis", "rediss", "unix"), required_in_production=True)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "attune", "capacity": 1500, "expiry": 30},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long /readyz waits for each dependency before calling it down.
READINESS_TIMEOUT_S = 2.0

# --- Auth and sessions --------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "org_create"  # lists the user's organizations, or offers to make one
LOGOUT_REDIRECT_URL = "/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Email --------------------------------------------------------------------
EMAIL_URL = env.raw("EMAIL_HOST")
if EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EMAIL_URL
    EMAIL_PORT = env.int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env.raw("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.raw("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.raw("DEFAULT_FROM_EMAIL", "Attune <no-reply@attune.local>")
# Every e-mail is queued in the database (django-post-office) in the transaction of the change it reports, and
# sent by `run_maintenance` through EMAIL_BACKEND above; a failed attempt is retried MAIL_MAX_RETRIES times,
# MAIL_RETRY_SECONDS apart. Attachments (.ics) are kept in the database too, so any process can send them.
POST_OFFICE = {
    "MAX_RETRIES": env.int("MAIL_MAX_RETRIES", 12, minimum=0),
    "RETRY_INTERVAL": timedelta(seconds=env.int("MAIL_RETRY_SECONDS", 300, minimum=1)),
    "FILE_STORAGE": "mail_attachments",
    "LOG_LEVEL": 1,  # a Log row per failed attempt (error class and SMTP reply), none per success
    # One connection, in the order they were queued: a couple reads "cancelled" before "a place is yours".
    "THREADS_PER_PROCESS": 1,
    "SENDING_ORDER": ["-priority", "id"],
}
# Sent (or finally failed) e-mails hold capability links and names: deleted this many hours after they were queued.
MAIL_KEEP_HOURS = env.int("MAIL_KEEP_HOURS", 48, minimum=1)

# --- i18n, time -----------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [d for d in [BASE_DIR / "static", BASE_DIR / "frontend" / "dist"] if d.exists()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "mail_attachments": {"BACKEND": "dbfiles.storage.DBStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- REST API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "workshops.api.base.api_exception_handler",
    # Proxies in front of the ASGI processes (nginx in docker-compose.yml): throttles read the client address
    # from X-Forwarded-For only this deep, so a client cannot spoof its way past them.
    "NUM_PROXIES": env.int("NUM_PROXIES", 1 if PRODUCTION else 0, minimum=0),
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Attune API",
    "DESCRIPTION": "Organizations, exercise library, programs, workshops, sessions and enrollment.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging --------------------------------------------------------------------
# Request lines name the URL pattern, never the raw path: capability links carry
# tokens in their path, and nothing a participant wrote is ever logged.
LOG_LEVEL = env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_paths": {"()": "config.middleware.DropRawPathFilter"},
        "exception_class_only": {"()": "workshops.mail_queue.ExceptionClassOnlyFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_paths"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
        "daphne": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The mail queue: failures only, as the e-mail's id and the exception's class (an SMTP reply may quote
        # the recipient's address), never its per-round progress lines.
        "post_office": {
            "handlers": ["console"],
            "level": "WARNING",
            "filters": ["exception_class_only"],
            "propagate": False,
        },
    },
}

# --- Links in e-mails, QR codes, pairing and calendar links (config/links.py) ------
# The address people open Attune at, never a request's Host header: a console opened on localhost must still
# show phones a QR code they can reach. `make run` derives it from HOST/PORT; production requires it.
PUBLIC_BASE_URL = (
    env.url("PUBLIC_BASE_URL", ("http", "https"), required_in_production=True) or "http://localhost:8000"
).rstrip("/")
# How long a waitlist offer holds a seat, and a staff invitation stays valid.
WAITLIST_OFFER_HOURS = env.int("WAITLIST_OFFER_HOURS", 24, minimum=1)
STAFF_INVITATION_DAYS = 7

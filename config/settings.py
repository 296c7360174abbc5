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
from pythonjsonlogger.core import RESERVED_ATTRS as RESERVED_LOG_ATTRS

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
    "axes",  # sign-in lockouts (config/sign_in.py); its middleware and backend are below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.i18n.AccountLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a sign-in lockout into config.ratelimit's 429 answer
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
                "django.template.context_processors.i18n",
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
    # PostgreSQL keeps the live engine's statements prepared on each connection (realtime/prepared.py prepares them
    # itself, below psycopg's cursors): parsed and planned once, not on every couple message and connect. Only they
    # are: psycopg prepares nothing of its own (None), so it never deallocates them either (it would on a rollback),
    # and Django's cursors bind values on the client. A pooler between Attune and PostgreSQL must then keep
    # prepared statements (PgBouncer 1.21 or later, max_prepared_statements; README, Configuration).
    _db["OPTIONS"]["prepare_threshold"] = None
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ---------------------------------------------
REDIS_URL = env.url("REDIS_URL", ("redis", "rediss", "unix"), required_in_production=True)
if REDIS_URL:
    # Redis pub/sub: a publish is one PUBLISH, and each process's fan-out hub (realtime/fanout.py) is pushed what
    # its groups get. channels_redis's list-based layer cost a message two round trips and a Lua script to send
    # and a blocking read with a backup set to receive, about a quarter of a couple message's server CPU
    # (docs/performance.md). What pub/sub does not give, the live engine never relied on: a frame is a versioned
    # snapshot, so one missed while a process is cut off from Redis heals by the clients' version check.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "attune"},
        }
    }
    # Time limits for the cache's Redis calls: a Redis that hangs (stopped, or packets dropped) would otherwise hold
    # the request's thread forever; this way a cache call gives up within 1 s, and config.cache answers it as a miss
    # (the live sockets never use the cache).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
        }
    }
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
LOGIN_REDIRECT_URL = "home"  # unused by the sign-in page: it picks each user's landing (workshops/views/accounts.py)
LOGOUT_REDIRECT_URL = "/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
# HSTS: SecurityMiddleware sends it on requests that came over TLS only (behind nginx: X-Forwarded-Proto https).
# A year by default where cookies are secure (TLS in front); 0 turns it off. Subdomains only when asked for: they
# may be served by others, some over plain HTTP.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
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
# Each person reads Attune in their own language (config/i18n.py). Adding one: README, "Languages".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times in each language's own way, by name (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [d for d in [BASE_DIR / "static", BASE_DIR / "frontend" / "dist"] if d.exists()]
# Collected (`collectstatic` into STATIC_ROOT): every file also under a name with its content's hash, with a gzipped
# copy beside it, so WhiteNoise serves the live apps compressed and cacheable for good (the pages name the hashed
# files). Production collects them in the image; `make run` (manage.py serve) collects them before it starts, so a
# phone on a slow venue network loads the app compressed and only once (docs/performance.md, "A phone's first
# screen"). Otherwise (the tests, DEBUG without serve) WhiteNoise reads the source folders on each request:
# uncompressed, revalidated every time, never stale while the files change.
COLLECTED_STATIC = env.bool("COLLECTED_STATIC", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "mail_attachments": {"BACKEND": "dbfiles.storage.DBStorage"},
    "staticfiles": {
        "BACKEND": "config.static_files.CollectedStaticFilesStorage"
        if COLLECTED_STATIC
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG and not COLLECTED_STATIC

# --- Limits on guessing and flooding (config/ratelimit.py; the numbers are in docs/privacy.md) ----------------
# Proxies in front of the ASGI processes (nginx in docker-compose.yml). The client address is the one the
# outermost of them saw: X-Forwarded-For read from the right, this many entries deep
# (config.client_address.client_address), so an address a client puts in the header itself is never taken. DRF's
# throttles, django-axes and Attune's own limits all read it through this one setting.
NUM_PROXIES = env.int("NUM_PROXIES", 1 if PRODUCTION else 0, minimum=0)
# Off only for load tests that join hundreds of phones from one address (make bench); never in a real room.
RATE_LIMITS = env.bool("RATE_LIMITS", True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out sign-in before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = RATE_LIMITS
AXES_HANDLER = "config.sign_in.SignInCounts"  # axes' cache handler: counts in Redis, shared, expiring, no rows
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)  # counted from the last failed try; a try while locked starts it again
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, and per client address
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_USERNAME_CALLABLE = "config.sign_in.username"
AXES_LOCKOUT_CALLABLE = "config.sign_in.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # no table of who signed in from where
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]  # masked in axes' log lines

# --- REST API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workshops.api.authentication.SessionAuthentication",
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
    "NUM_PROXIES": NUM_PROXIES,  # DRF's throttles read the client address as config.client_address does
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Attune API",
    # The conventions (errors, unknown fields, pages, times, slugs), written once: docs/api.md.
    "DESCRIPTION": (BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8"),
    "VERSION": "1.0.0",
    # One name for each choice set, whichever serializer uses it: a generated client gets WorkshopStatusEnum,
    # not Status4b6Enum and a second name for the roles. `manage.py spectacular --validate --fail-on-warn` passes
    # (tests/workshops/api/test_schema_and_docs.py).
    "ENUM_NAME_OVERRIDES": {
        "WorkshopStatusEnum": "workshops.models.Workshop.Status",
        "EnrollmentStatusEnum": "workshops.models.Enrollment.Status",
        "OfferStatusEnum": "workshops.models.WaitlistOffer.Status",
        "PlaceStatusEnum": "workshops.api.public.PLACE_STATUSES",
        "RoleEnum": "workshops.models.organizations.Role",
        "FormatEnum": "workshops.models.Program.FORMATS",
        "InvitationStateEnum": "workshops.api.organizations.INVITATION_STATES",
        "StepKindEnum": "workshops.api.library.STEP_KIND_CHOICES",
        "ReportGroupKindEnum": "feedback.api.REPORT_KINDS",
        "PromptKindEnum": "feedback.survey_api.PROMPT_KIND_CHOICES",
        "QuestionKindEnum": "workshops.models.RegistrationQuestion.Kind",
        "MoveDirectionEnum": "workshops.api.questions.MOVE_DIRECTIONS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "workshops.api.schema.finish_schema",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging --------------------------------------------------------------------
# Request lines name the URL pattern, never the raw path: capability links carry
# tokens in their path, and nothing a participant wrote is ever logged.
# LOG_FORMAT=json writes one JSON object a line (python-json-logger), the request
# log's method, route, status and ms as fields of their own. The ASGI server's own
# loggers (uvicorn) go through the same handler; its access log never (raw paths).
LOG_LEVEL = env.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOG_FORMAT = env.choice("LOG_FORMAT", ("plain", "json"), "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_paths": {"()": "config.middleware.DropRawPathFilter"},
        "exception_class_only": {"()": "workshops.mail_queue.ExceptionClassOnlyFilter"},
        "receive_outage": {"()": "config.channel_layer_log.ReceiveOutageFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django's request records carry the request object: its repr holds the raw path.
            # (uvicorn's color_message repeats the message with terminal colours.)
            "reserved_attrs": [*RESERVED_LOG_ATTRS, "request", "scope", "color_message"],
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["no_paths"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
        "daphne": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "uvicorn": {"handlers": ["console"], "level": "WARNING", "propagate": False},  # as the image's --log-level
        "uvicorn.access": {"handlers": [], "propagate": False},
        # The channel layer's read of its subscriptions: one line a minute while Redis is away, not a trace a second.
        "channels_redis.pubsub": {"handlers": ["console"], "filters": ["receive_outage"], "propagate": False},
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

# --- Operations: metrics, error reporting -----------------------------------------
# GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (404 without, and when unset): config/metrics.py.
METRICS_TOKEN = env.raw("METRICS_TOKEN", "")
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("METRICS_TOKEN must be a random string of at least 16 characters.")
# Error reporting to Sentry (or a compatible service) when set; personal data, bodies and variables stay out and
# every event passes config/sentry.py's scrubber.
SENTRY_DSN = env.url("SENTRY_DSN", ("http", "https"))
if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment="production" if PRODUCTION else "development")


# --- Links in e-mails, QR codes, pairing and calendar links (config/links.py) ------
# The address people open Attune at, never a request's Host header: a console opened on localhost must still
# show phones a QR code they can reach. `make run` derives it from HOST/PORT; production requires it.
PUBLIC_BASE_URL = (
    env.url("PUBLIC_BASE_URL", ("http", "https"), required_in_production=True) or "http://localhost:8000"
).rstrip("/")
# How long a waitlist offer holds a seat, and a staff invitation stays valid.
WAITLIST_OFFER_HOURS = env.int("WAITLIST_OFFER_HOURS", 24, minimum=1)
STAFF_INVITATION_DAYS = 7

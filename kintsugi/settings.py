"""The one settings module. Everything that differs between installs comes from the environment.

KINTSUGI_ENV selects the safety level: ``production`` (the default, refuses unsafe settings),
``development`` (``make run``: debug on, a fixed development key) and ``test``.
"""

from __future__ import annotations

import os
from pathlib import Path

from kintsugi.config import (
    LOG_LEVELS,
    ConfigurationError,
    EnvReader,
    database_settings,
    env_list,
    env_str,
    production_problems,
)
from kintsugi.core import sso as sso_rules

# Every problem is collected and raised at the end of this module as one line (config.py).
_env = EnvReader()
BASE_DIR = Path(__file__).resolve().parent
KINTSUGI_ENV = _env.environment()
IS_PRODUCTION = KINTSUGI_ENV == "production"

DEBUG = _env.boolean("DEBUG", default=KINTSUGI_ENV == "development")
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
_production_problems = (
    production_problems(secret_key=SECRET_KEY, debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
    if IS_PRODUCTION
    else []
)
if not IS_PRODUCTION and not SECRET_KEY:
    SECRET_KEY = "dev-insecure-key-for-local-use-only-never-in-production"  # noqa: S105

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "ninja",  # serves the API docs' Swagger UI from its bundled static files, not a CDN
    "kintsugi.accounts",
    "kintsugi.teams",
    "kintsugi.postmortems",
    "kintsugi.five_whys",
    "kintsugi.blameless",
    "kintsugi.debt",
    "kintsugi.documents",
    "kintsugi.capture",
    "kintsugi.insights",
    "kintsugi.trackers",
    "kintsugi.reviews",
    "kintsugi.sso",
    "kintsugi.search",
    "kintsugi.history",
    "kintsugi.administration",
    "kintsugi.web",
    "kintsugi.api",
    "kintsugi.operations",
]

MIDDLEWARE = [
    # Outermost: the request id and the timing cover every layer below (docs/operations.md).
    "kintsugi.operations.middleware.RequestObservationMiddleware",
    "kintsugi.operations.settle.SettleAfterWarmUpMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so that static files carry the policy too.
    "kintsugi.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kintsugi.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: the report views' reads may go to a read replica (after sign-in, on the primary).
    "kintsugi.operations.replicas.ReplicaReadsMiddleware",
]
# Requests a process answers before it freezes what its warm-up made (operations/settle.py);
# 0 turns it off, as in the test suite, whose one process must keep collecting everything.
GC_SETTLE_AFTER = _env.integer("GC_SETTLE_AFTER", 0 if KINTSUGI_ENV == "test" else 25, minimum=0)

ROOT_URLCONF = "kintsugi.urls"
WSGI_APPLICATION = "kintsugi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "postmortem-list"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kintsugi.teams.context_processors.severities",
            ],
        },
    },
    {
        # The hot partials (timeline and action item rows, the weekly review's entries):
        # kintsugi/rendering/jinja.py.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [
            BASE_DIR / "web" / "jinja2",
            BASE_DIR / "debt" / "jinja2",
            BASE_DIR / "insights" / "jinja2",
        ],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "kintsugi.rendering.jinja.environment"},
    },
]

DATA_DIR = Path(env_str("KINTSUGI_DATA_DIR", str(Path.cwd() / "var")))
if not env_str("DATABASE_URL"):
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _env.keep(
            ConfigurationError(
                f"KINTSUGI_DATA_DIR={str(DATA_DIR)!r} cannot be created ({error.strerror}); "
                "point it at a folder Kintsugi may write to, or set DATABASE_URL."
            )
        )
DATABASES = {
    "default": _env.database(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kintsugi.sqlite3'}"),
        conn_max_age=_env.integer("DB_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; busy_timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if KINTSUGI_ENV == "test" else 60
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that drops packets must not hang a start-up (or a request) for minutes; a
    # connect_timeout in DATABASE_URL's query string wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
# A read replica for reports (docs/operations.md, "Read replicas"): PostgreSQL's streaming
# replica of the primary. The router sends the reads of KINTSUGI_REPLICA_VIEWS to it and
# everything else to the primary; without it, the router does nothing.
_replica_url = env_str("KINTSUGI_REPLICA_DATABASE_URL")
if _replica_url:
    try:
        _replica = database_settings(
            _replica_url, conn_max_age=_env.integer("DB_CONN_MAX_AGE", 60, minimum=0)
        )
    except ConfigurationError as error:
        named = str(error).replace("DATABASE_URL=", "KINTSUGI_REPLICA_DATABASE_URL=", 1)
        _env.keep(ConfigurationError(named))
    else:
        postgres = "django.db.backends.postgresql"
        if _replica["ENGINE"] != postgres or DATABASES["default"]["ENGINE"] != postgres:
            _env.keep(
                ConfigurationError(
                    "KINTSUGI_REPLICA_DATABASE_URL is set, but read replicas need PostgreSQL "
                    "for both DATABASE_URL and the replica (a postgres:// URL of a streaming "
                    "replica of the primary); unset it to read everything from the primary."
                )
            )
        else:
            _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
            # Tests see the replica as the primary itself (Django's test mirror).
            _replica["TEST"] = {"MIRROR": "default"}
            DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["kintsugi.operations.replicas.ReplicaRouter"]
# The views whose reads may go to the replica: reports that read across post-mortems or the
# whole of one and change nothing (URL names; the API's with "api:").
KINTSUGI_REPLICA_VIEWS = frozenset(
    {
        "insights",
        "insights-csv",
        "insights-digest",
        "search",
        "export",
        "api:insights",
        "api:insights_digest",
        "api:search",
        "api:export_postmortem",
    }
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's ModelBackend and database sessions, with the reads every request makes
# compiled once (kintsugi/accounts/backends.py, kintsugi/accounts/sessions.py).
AUTHENTICATION_BACKENDS = ["kintsugi.accounts.backends.UserBackend"]
SESSION_ENGINE = "kintsugi.accounts.sessions"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if KINTSUGI_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(Path.cwd() / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    try:
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
    except OSError as error:
        _env.keep(
            ConfigurationError(
                f"STATIC_ROOT={str(STATIC_ROOT)!r} cannot be created ({error.strerror}); "
                "point it at a folder Kintsugi may write to."
            )
        )

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env.boolean("SECURE_COOKIES", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Explains a refusal caused by "Origin: null" (a no-referrer policy added in front of us).
CSRF_FAILURE_VIEW = "kintsugi.web.views.refusals.csrf_failure"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _env.boolean("BEHIND_TLS_PROXY", False) else None
)
# HTTPS only, once it is known to be served over HTTPS (docs/deployment.md, "HTTPS"). Django
# sends HSTS on HTTPS responses only; a year is what browsers' preload lists ask for.
SECURE_HSTS_SECONDS = _env.integer(
    "SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env.boolean("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = _env.boolean("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
# A load balancer's health check speaks plain HTTP to the app server.
# Probes and scrapers inside the network speak plain HTTP to the app servers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^readyz$", r"^metrics$"]
# Preloading is the domain owner's decision (it binds every subdomain, for months, in every
# browser): off unless SECURE_HSTS_PRELOAD says so, without a warning in `check --deploy`.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Every response (kintsugi/web/middleware.py): no inline script or style, no plugins, no
# framing, forms post here only. A response that sets its own policy keeps it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Powerful browser features no page here uses, refused to any script that might ask.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Password reset links (kintsugi/accounts/reset_mail.py) work this long, and once.
PASSWORD_RESET_TIMEOUT = 60 * _env.integer(
    "PASSWORD_RESET_MINUTES", 60, minimum=5, maximum=7 * 24 * 60
)
PASSWORD_RESETS_PER_EMAIL = _env.integer("PASSWORD_RESETS_PER_EMAIL", 3, minimum=1)
PASSWORD_RESETS_PER_ADDRESS = _env.integer("PASSWORD_RESETS_PER_ADDRESS", 10, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = _env.integer(
    "PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1, maximum=7 * 24 * 60
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Sign-in throttling (kintsugi/accounts/throttle.py; docs/operations.md "Sign-in throttling").
# How many X-Forwarded-For entries, counted from the right, the proxies in front added: the
# client address is the one the outermost trusted proxy saw. 0 trusts none (REMOTE_ADDR).
TRUSTED_PROXY_HOPS = _env.integer(
    "TRUSTED_PROXY_HOPS", 1 if _env.boolean("BEHIND_TLS_PROXY", False) else 0, minimum=0
)
LOGIN_FAILURES_PER_ACCOUNT = _env.integer("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = _env.integer("LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = _env.integer(
    "LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1, maximum=7 * 24 * 60
)
# Password hashes at once on this machine, sign-ins of a process waiting for one, and how
# long one waits before the answer is 503 + Retry-After (kintsugi/accounts/hash_slots.py).
KINTSUGI_SIGNIN_CONCURRENCY = _env.integer(
    "KINTSUGI_SIGNIN_CONCURRENCY", max(1, (os.cpu_count() or 2) // 2), minimum=1, maximum=256
)
KINTSUGI_SIGNIN_QUEUE = _env.integer("KINTSUGI_SIGNIN_QUEUE", 2, minimum=0, maximum=1000)
KINTSUGI_SIGNIN_WAIT_SECONDS = _env.integer(
    "KINTSUGI_SIGNIN_WAIT_SECONDS", 3, minimum=1, maximum=60
)
KINTSUGI_SIGNIN_SLOT_DIR = Path(env_str("KINTSUGI_SIGNIN_SLOT_DIR", str(DATA_DIR / "signin-slots")))

# How many days an invitation link works (kintsugi/administration/invitations.py).
KINTSUGI_INVITATION_DAYS = _env.integer("KINTSUGI_INVITATION_DAYS", 7, minimum=1, maximum=90)

# Logs as text, or one JSON object a line (with the request id on every record either way).
KINTSUGI_LOG_FORMAT = _env.choice("KINTSUGI_LOG_FORMAT", "text", ("text", "json"))
# Single sign-on with OpenID Connect (kintsugi/sso; docs/deployment.md, "Single sign-on"). On
# when a discovery URL (or an issuer) and a client id are set; the client is confidential.
SSO_ISSUER = env_str("KINTSUGI_SSO_ISSUER").rstrip("/")
SSO_DISCOVERY_URL = env_str(
    "KINTSUGI_SSO_DISCOVERY_URL",
    f"{SSO_ISSUER}/.well-known/openid-configuration" if SSO_ISSUER else "",
)
SSO_CLIENT_ID = env_str("KINTSUGI_SSO_CLIENT_ID")
SSO_CLIENT_SECRET = env_str("KINTSUGI_SSO_CLIENT_SECRET")
SSO_ENABLED = bool(SSO_DISCOVERY_URL and SSO_CLIENT_ID)
SSO_SCOPES = env_str("KINTSUGI_SSO_SCOPES", "openid email profile")
SSO_GROUPS_CLAIM = env_str("KINTSUGI_SSO_GROUPS_CLAIM", "groups")
SSO_DEFAULT_ROLE = _env.choice("KINTSUGI_SSO_DEFAULT_ROLE", "viewer", sso_rules.ROLES)
SSO_REQUIRE_VERIFIED_EMAIL = _env.boolean("KINTSUGI_SSO_REQUIRE_VERIFIED_EMAIL", True)
SSO_CREATE_USERS = _env.boolean("KINTSUGI_SSO_CREATE_USERS", True)
SSO_ALLOWED_DOMAINS = env_list("KINTSUGI_SSO_ALLOWED_DOMAINS", [])
SSO_ONLY = _env.boolean("KINTSUGI_SSO_ONLY", False)
SSO_LABEL = env_str("KINTSUGI_SSO_LABEL", "Sign in with single sign-on")
SSO_TIMEOUT_SECONDS = _env.integer("KINTSUGI_SSO_TIMEOUT_SECONDS", 10, minimum=1, maximum=120)
try:
    SSO_GROUP_ROLES = sso_rules.parse_group_roles(env_str("KINTSUGI_SSO_GROUP_ROLES"))
    SSO_GROUP_TEAMS = sso_rules.parse_group_teams(env_str("KINTSUGI_SSO_GROUP_TEAMS"))
except sso_rules.MappingError as error:
    SSO_GROUP_ROLES, SSO_GROUP_TEAMS = {}, {}
    _env.keep(ConfigurationError(str(error)))
if SSO_ONLY and not SSO_ENABLED:
    _env.keep(
        ConfigurationError(
            "KINTSUGI_SSO_ONLY=1 turns password sign-in off, but single sign-on is not set up: "
            "set KINTSUGI_SSO_ISSUER (or KINTSUGI_SSO_DISCOVERY_URL) and KINTSUGI_SSO_CLIENT_ID."
        )
    )
if SSO_ENABLED and not SSO_CLIENT_SECRET:
    _env.keep(
        ConfigurationError(
            "KINTSUGI_SSO_CLIENT_ID is set without KINTSUGI_SSO_CLIENT_SECRET: register Kintsugi "
            "as a confidential (web) client and give its secret."
        )
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kintsugi.operations.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "kintsugi.operations.logs.TextFormatter"},
        "json": {"()": "kintsugi.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": KINTSUGI_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": _env.choice("LOG_LEVEL", "INFO", LOG_LEVELS)},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every PDF it lays out at INFO; only its problems matter here.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# /metrics answers only with this bearer token (unset: the page is off); docs/operations.md.
KINTSUGI_METRICS_TOKEN = env_str("KINTSUGI_METRICS_TOKEN")
# /readyz reports the worker "stale" after this long without a finished pass.
KINTSUGI_WORKER_STALE_SECONDS = _env.integer(
    "KINTSUGI_WORKER_STALE_SECONDS", 300, minimum=10, maximum=7 * 24 * 3600
)

# The blamelessness summary (issue 20; docs/operations.md, "What the worker finishes after
# an upgrade"): a web edit of a
# post-mortem with at most this many parts (events, factors, lessons, items, whys) stores
# its summary after the commit; larger ones, and every capture/import write, are left to
# the worker, which fills for this many milliseconds per pass.
KINTSUGI_SUMMARY_INLINE_PARTS = _env.integer(
    "KINTSUGI_SUMMARY_INLINE_PARTS", 200, minimum=0, maximum=1_000_000
)
KINTSUGI_SUMMARY_FILL_MS = _env.integer(
    "KINTSUGI_SUMMARY_FILL_MS", 2_000, minimum=10, maximum=600_000
)
# Search entries of a source a migration queued (``kintsugi/search/fill.py``): the worker
# writes them in batches for this many milliseconds per pass.
KINTSUGI_SEARCH_FILL_MS = _env.integer(
    "KINTSUGI_SEARCH_FILL_MS", 2_000, minimum=10, maximum=600_000
)

# Outgoing email (weekly reviews and reminders, sent by `kintsugi worker`); docs/configuration.md.
# In development (`make run`) no SMTP server listens on localhost:25, and the worker would
# retry forever: mail is printed to the console unless EMAIL_HOST names a server.
EMAIL_TO_CONSOLE = KINTSUGI_ENV == "development" and not env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if EMAIL_TO_CONSOLE
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = _env.integer("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _env.boolean("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = _env.integer("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kintsugi@localhost")
# The address people use to reach Kintsugi, for links in emails and Slack messages.
KINTSUGI_BASE_URL = env_str("KINTSUGI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# PDF export (kintsugi/documents/exports.py; docs/operations.md "PDF export"): larger
# documents are refused before rendering; a render runs in a child process capped in time
# and memory, a few at a time; PDFs are cached per post-mortem version.
KINTSUGI_PDF_MAX_EVENTS = _env.integer("KINTSUGI_PDF_MAX_EVENTS", 1_000, minimum=0)
KINTSUGI_PDF_MAX_ACTION_ITEMS = _env.integer("KINTSUGI_PDF_MAX_ACTION_ITEMS", 300, minimum=0)
KINTSUGI_PDF_MAX_PAGE_KB = _env.integer("KINTSUGI_PDF_MAX_PAGE_KB", 1_024, minimum=1)
KINTSUGI_PDF_TIMEOUT = _env.integer("KINTSUGI_PDF_TIMEOUT", 60, minimum=1, maximum=3_600)
KINTSUGI_PDF_MEMORY_MB = _env.integer("KINTSUGI_PDF_MEMORY_MB", 1_024, minimum=256)
KINTSUGI_PDF_CONCURRENCY = _env.integer("KINTSUGI_PDF_CONCURRENCY", 2, minimum=1, maximum=64)
# Start each web worker's PDF renderer when the worker starts, not on its first export.
KINTSUGI_PDF_WARM_UP = _env.integer("KINTSUGI_PDF_WARM_UP", 1, minimum=0, maximum=1) == 1
KINTSUGI_PDF_CACHE_DIR = Path(
    env_str("KINTSUGI_PDF_CACHE_DIR", str(DATA_DIR / "pdf-cache"))
).expanduser()

# Last, so that every problem above is in the one message (and exit 2, kintsugi/cli.py).
_env.raise_if_any(_production_problems)

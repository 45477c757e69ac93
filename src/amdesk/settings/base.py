"""Settings shared by every environment. Values come from the environment with safe local defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout's root (src/amdesk/settings/base.py -> repo); AMDESK_HOME overrides it for installs elsewhere.
BASE_DIR = Path(os.environ.get("AMDESK_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("AMDESK_VAR_DIR", BASE_DIR / "var"))
NODE_MODULES = Path(os.environ.get("AMDESK_NODE_MODULES", BASE_DIR / "node_modules"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "amdesk.core",
    "amdesk.orgs",
    "amdesk.accounts",
    "amdesk.clients",
    "amdesk.visits",
    "amdesk.service",
    "amdesk.surveys",
    "amdesk.planning",
    "amdesk.attachments",
    "amdesk.appraisal",
    "amdesk.reports",
    "amdesk.notifications",
    # The desk reads every app above, so it comes last.
    "amdesk.desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amdesk.core.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amdesk.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amdesk.urls"
WSGI_APPLICATION = "amdesk.wsgi.application"
ASGI_APPLICATION = "amdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amdesk.core.context_processors.shell",
                "amdesk.notifications.context_processors.nav",
            ],
        },
    },
]


def database_config() -> dict:
    default_url = f"sqlite:///{VAR_DIR / 'amdesk.sqlite3'}"
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default_url), conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # One writer at a time: IMMEDIATE transactions wait for the lock instead of failing
        # with "database is locked" when a read turns into a write (see ENGINEERING-NOTES).
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000;"
            ),
        }
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.Staff"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "amdesk.orgs.backends.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "employee_no", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "amdesk.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle (every request renews the cookie), 12 hours in all.
SESSION_COOKIE_AGE = env_int("AMDESK_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("AMDESK_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
# API tokens (accounts.ApiToken, stored hashed) end like a session: this long after they were issued.
AMDESK_API_TOKEN_SECONDS = env_int("AMDESK_API_TOKEN_SECONDS", SESSION_ABSOLUTE_SECONDS)
# Live tokens a user may hold; a new one past this revokes his oldest.
AMDESK_API_TOKENS_PER_USER = env_int("AMDESK_API_TOKENS_PER_USER", 10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login lockout: 5 failures in a row lock the username (not the address) for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AMDESK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AMDESK_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "amdesk.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# axes.W006 asks to lock by address as well. Deliberately not: on a bank's intranet whole outlets
# reach the server through one proxy address, and five typos there would lock everyone out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# … but failed sign-ins per address are limited (accounts/throttle.py): past this many in the window,
# the form and the token API answer 429 with Retry-After before checking any password.
AMDESK_SIGN_IN_FAILURES_PER_ADDRESS = env_int("AMDESK_SIGN_IN_FAILURES_PER_ADDRESS", 20)
AMDESK_SIGN_IN_WINDOW_SECONDS = env_int("AMDESK_SIGN_IN_WINDOW_SECONDS", 5 * 60)
# Locked accounts are listed in Chinese by accounts.admin (with an audited unlock), not by axes' own
# admin, which is English and lists every attempt.
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from the npm registry at set-up time (`npm ci`) and are served from
# here; nothing of node_modules is committed.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/signature_pad", NODE_MODULES / "signature_pad" / "dist"),
]
# The font of report PDFs (Noto Sans SC, SIL OFL, TrueType outlines; from the npm registry like the
# libraries above): embedded as a subset, so a PDF shows its Chinese text on any machine (ADR 0021).
PDF_FONT_DIR = Path(
    os.environ.get("AMDESK_PDF_FONT_DIR", NODE_MODULES / "@expo-google-fonts" / "noto-sans-sc")
)
PDF_FONTS = {
    "": PDF_FONT_DIR / "400Regular" / "NotoSansSC_400Regular.ttf",
    "B": PDF_FONT_DIR / "700Bold" / "NotoSansSC_700Bold.ttf",
}
# Mail (scheduled reports, the daily digest): printed to the console unless a backend is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "amdesk@localhost")
# Attachments (ID copies, deposit slips, signed forms, on-site photos) live in their own storage,
# never under STATIC_ROOT and never served by URL: only the scope-checked, audited download view
# reads them. A local folder by default; an S3-compatible store (MinIO, Ceph, a cloud's object
# storage) when AMDESK_ATTACHMENTS_S3_BUCKET is set, through django-storages (the optional extra
# `pip install 'amdesk[s3]'`). See docs/adr/ (attachments) and the README.
AMDESK_ATTACHMENTS_DIR = Path(os.environ.get("AMDESK_ATTACHMENTS_DIR", VAR_DIR / "attachments"))


def attachments_storage() -> dict:
    bucket = os.environ.get("AMDESK_ATTACHMENTS_S3_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": AMDESK_ATTACHMENTS_DIR, "base_url": None, "file_permissions_mode": 0o600},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AMDESK_ATTACHMENTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AMDESK_ATTACHMENTS_S3_REGION") or None,
            "access_key": os.environ.get("AMDESK_ATTACHMENTS_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("AMDESK_ATTACHMENTS_S3_SECRET_KEY") or None,
            "location": os.environ.get("AMDESK_ATTACHMENTS_S3_PREFIX", "attachments"),
            "default_acl": "private",
            "querystring_auth": True,  # the bucket is never public; the app streams every download
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": attachments_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# No inline script anywhere: pages load their JavaScript from /static/ and read data from
# <script type="application/json"> blocks (json_script). Inline styles stay allowed because
# the Django admin and ECharts set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "amdesk.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "amdesk.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "amdesk.core.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AMDesk API",
    "DESCRIPTION": "AMDesk 客户经理工作台 API. Authenticate with `Authorization: Token <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets published as enum components under their own names: the field names (`state`,
    # `kind`, `mode`) carry several sets across the apps.
    "ENUM_NAME_OVERRIDES": {
        "TicketStateEnum": "amdesk.service.models.TicketState",
        "TicketChannelEnum": "amdesk.service.models.Channel",
        "VisitKindEnum": "amdesk.visits.models.Visit.Kind",
        "VisitModeEnum": "amdesk.visits.models.Visit.Mode",
        "VisitScheduleStateEnum": "amdesk.visits.models.VisitSchedule.State",
        "DocumentStateEnum": "amdesk.planning.workflow.DocState",
        "SurveyRoundStateEnum": "amdesk.surveys.models.SurveyRound.State",
        "SurveyRoundTargetEnum": "amdesk.surveys.models.SurveyRound.Target",
        "QuestionnaireStateEnum": "amdesk.surveys.models.Questionnaire.State",
        "AppraisalPeriodKindEnum": "amdesk.appraisal.models.PeriodKind",
    },
}

# Personal data shown masked: (characters kept at the start, characters kept at the end).
AMDESK_MASKING = {"id_number": (3, 4), "mobile": (3, 4), "card": (6, 4)}

# Background jobs (imports; later reports and reminders): django-tasks with its database backend,
# so the embedded install needs no broker. `amdesk db_worker` runs them (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Client import: what an upload may be before it is opened. A real .xlsx is a zip; its entries
# are decompressed on reading, so the uncompressed total and the entry count are bounded too
# (a "zip bomb" of a few kilobytes can unpack to gigabytes).
AMDESK_IMPORT_DIR = Path(os.environ.get("AMDESK_IMPORT_DIR", VAR_DIR / "imports"))
AMDESK_IMPORT_MAX_BYTES = env_int("AMDESK_IMPORT_MAX_MB", 200) * 1024 * 1024
AMDESK_IMPORT_MAX_UNZIPPED_BYTES = env_int("AMDESK_IMPORT_MAX_UNZIPPED_MB", 2048) * 1024 * 1024
AMDESK_IMPORT_MAX_ZIP_ENTRIES = env_int("AMDESK_IMPORT_MAX_ZIP_ENTRIES", 200)
AMDESK_IMPORT_MAX_ROWS = env_int("AMDESK_IMPORT_MAX_ROWS", 2_000_000)
# Bounds on what an .xlsx may hold, so the worker reads it in bounded memory (imports/bounds.py):
# a part's unpacked/packed ratio (Apache POI's default bound is 100), the shared-strings table
# (count and unpacked size), one cell (Excel's own limit) and one row of a sheet's XML.
AMDESK_IMPORT_MAX_ZIP_RATIO = env_int("AMDESK_IMPORT_MAX_ZIP_RATIO", 100)
AMDESK_IMPORT_MAX_SHARED_STRINGS = env_int("AMDESK_IMPORT_MAX_SHARED_STRINGS", 4_000_000)
AMDESK_IMPORT_MAX_SHARED_STRINGS_BYTES = env_int("AMDESK_IMPORT_MAX_SHARED_STRINGS_MB", 128) * 1024 * 1024
AMDESK_IMPORT_MAX_CELL_CHARS = env_int("AMDESK_IMPORT_MAX_CELL_CHARS", 32_767)
AMDESK_IMPORT_MAX_ROW_BYTES = env_int("AMDESK_IMPORT_MAX_ROW_KB", 512) * 1024
# Staged rows, the uploaded file and the report of a finished or abandoned import are deleted
# this many days after it ended (`amdesk purge-imports`, run daily from cron).
AMDESK_IMPORT_RETENTION_DAYS = env_int("AMDESK_IMPORT_RETENTION_DAYS", 7)
# Page and API .xlsx exports stop here (an .xlsx is built whole before sending); CSV streams.
AMDESK_EXPORT_XLSX_MAX_ROWS = env_int("AMDESK_EXPORT_XLSX_MAX_ROWS", 100_000)
# Uploads above Django's 2.5 MB memory threshold go to a temporary file, not into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Which industry preset the demo and a fresh install use when none is named.
AMDESK_DEFAULT_INDUSTRY = os.environ.get("AMDESK_INDUSTRY", "bank")
AMDESK_DEMO_PASSWORD = os.environ.get("AMDESK_DEMO_PASSWORD", "amdesk-demo")
# The client address to trust when a reverse proxy sets X-Forwarded-For (0 = use REMOTE_ADDR).
AMDESK_TRUSTED_PROXY_COUNT = env_int("AMDESK_TRUSTED_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

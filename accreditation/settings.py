"""Settings for the accreditation engine.

Everything that differs between a laptop demo and a provincial deployment comes from
environment variables; the defaults run embedded (SQLite, local files) with no set-up.
See README.md, "Configuration", for the full list.
"""

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ACCREDITATION_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

#: Management commands that neither sign nor check anything signed: they run without
#: DJANGO_SECRET_KEY (on a throwaway random key), so a checkout can be inspected
#: (``makemigrations --check``) before its secrets are configured.
KEY_FREE_COMMANDS = frozenset({"makemigrations", "showmigrations", "help", "version"})


def _key_free_command(argv: list[str]) -> bool:
    return len(argv) > 1 and Path(argv[0]).name == "manage.py" and argv[1] in KEY_FREE_COMMANDS


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if _key_free_command(sys.argv):
        SECRET_KEY = secrets.token_urlsafe(50)
    elif not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for a local demo)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "viewflow",
    "viewflow.workflow",
    "accreditation",
    "standards",
    "workflows",
]

VIEWFLOW = {"AUTOREGISTER": False}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the user the session store read with the session row.
    "accreditation.sessions.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accreditation.urls"
WSGI_APPLICATION = "accreditation.wsgi.application"
ASGI_APPLICATION = "accreditation.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accreditation.web.context.header",
            ],
        },
    },
]

# SQLite file by default; DATABASE_URL (postgres://user:pass@host:port/name) for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and a background worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accreditation.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses logins after repeated failures before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ACCREDITATION_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ACCREDITATION_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

# Evidence and certificates go to the default storage: local files unless an
# S3-compatible bucket is configured (pip install ".[s3]").
_default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if os.environ.get("ACCREDITATION_S3_BUCKET"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ACCREDITATION_S3_BUCKET"],
            "endpoint_url": os.environ.get("ACCREDITATION_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ACCREDITATION_S3_REGION") or None,
            "access_key": os.environ.get("ACCREDITATION_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("ACCREDITATION_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Upload limits: request bodies are refused past these sizes before any view runs.
ACCREDITATION_MAX_UPLOAD_BYTES = int(
    os.environ.get("ACCREDITATION_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Background work (certificate batches, reminders, exports) through the django-tasks
# API. The database backend needs a worker: manage.py db_worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("ACCREDITATION_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security. HTTPS settings switch on with debug off; ACCREDITATION_HTTPS=0 disables them
# for a deployment behind a proxy that terminates TLS without forwarding the scheme.
_https = not DEBUG and env_bool("ACCREDITATION_HTTPS", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SESSION_COOKIE_HTTPONLY = True
# Database sessions read with their user in one query (accreditation/sessions.py).
SESSION_ENGINE = "accreditation.sessions"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    # Token first: an anonymous request then answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "accreditation.core.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON everywhere; the evidence upload takes multipart/form-data.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "accreditation.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "accreditation.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("ACCREDITATION_API_TOKEN_RATE", "10/min"),
        "verification": os.environ.get("ACCREDITATION_API_VERIFY_RATE", "60/min"),
    },
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "优质服务基层行 accreditation API",
    "DESCRIPTION": (
        "Everything a user can do in the web pages, over HTTP. Authenticate with a "
        "token (POST /api/v1/auth/token/, then `Authorization: Token <key>`) or a "
        'session. Every failure answers `{"error": {"code", "message", '
        '"fields", "details"}}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies are validated whole (e.g. "version" is always required).
    "COMPONENT_SPLIT_PATCH": False,
    "SORT_OPERATIONS": False,
    # Served from the installed drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # <id:...> path parameters (accreditation.core.api.IdConverter).
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    # Several models have a "status", "kind", "level" or "grade" with different choices.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "accreditation.api.enums.AssessmentStatus",
        "CycleStatusEnum": "accreditation.api.enums.CycleStatus",
        "PublicationStatusEnum": "standards.models.PublicationStatus",
        "InstitutionKindEnum": "accreditation.api.enums.InstitutionKindChoices",
        "StandardKindEnum": "standards.models.InstitutionKind",
        "ItemKindEnum": "standards.models.ItemKind",
        "RegionLevelEnum": "accreditation.api.enums.RegionLevel",
        "LevelEnum": "standards.models.Level",
        "ItemGradeEnum": "accreditation.api.enums.ItemGradeValue",
        "CriterionGradeEnum": "standards.models.Grade",
        "UserRoleEnum": "accreditation.api.enums.UserRole",
        "PanelRoleEnum": "accreditation.api.enums.PanelRole",
        "ReviewStageEnum": "accreditation.models.ReviewStage",
        "DeadlineStageEnum": "accreditation.models.Stage",
        "RoundOutcomeEnum": "accreditation.api.enums.RoundOutcome",
        "RecognitionActionEnum": "accreditation.models.RecognitionAction",
        "LookBackOutcomeEnum": "accreditation.models.LookBackOutcome",
        "FindingStatusEnum": "accreditation.models.FindingStatus",
        "FindingSourceEnum": "accreditation.models.FindingSource",
        "PlanOutcomeEnum": "accreditation.models.findings.ReviewOutcome",
        "VerificationOutcomeEnum": "accreditation.models.findings.VerificationOutcome",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

ACCREDITATION: dict[str, Any] = {
    # Folder that load_catalogue reads editions and rule sets from.
    "CATALOGUE_DIR": BASE_DIR / "fixtures" / "standards",
    # Largest evidence file accepted (bytes); the type is always checked from the content.
    "EVIDENCE_MAX_BYTES": ACCREDITATION_MAX_UPLOAD_BYTES,
    # Public base URL printed on certificates' QR codes.
    "PUBLIC_BASE_URL": os.environ.get("ACCREDITATION_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # A CJK TrueType font for PDFs; Debian's UMing or WenQuanYi are found otherwise.
    "CJK_FONT": os.environ.get("ACCREDITATION_CJK_FONT", ""),
}

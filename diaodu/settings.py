"""Django settings for Diaodu, read from the environment (see README: 配置)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from diaodu.conf import (
    SettingError,
    caches_from_url,
    database_from_url,
    env_bool,
    env_date,
    env_int,
    env_list,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
# Where var/ (the SQLite file, the generated secret key, uploads) lives: the
# working directory unless DIAODU_HOME says otherwise.
BASE_DIR = Path(env_str("DIAODU_HOME", os.getcwd())).resolve()

try:
    DEBUG = env_bool("DEBUG", False)
    DEMO_MODE = env_bool("DIAODU_DEMO", False)
    SECRET_KEY = secret_key(BASE_DIR)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
    DATABASES = {
        "default": database_from_url(env_str("DATABASE_URL", "sqlite:///var/diaodu.sqlite3"), BASE_DIR)
    }
    # The home city (本市) as a GB/T 2260 code; empty: the one stored by `diaodu setup-city`.
    DIAODU_HOME_REGION = env_str("DIAODU_HOME_REGION", "")
    # Largest upload accepted by the web import (bytes).
    DIAODU_MAX_UPLOAD = env_int("DIAODU_MAX_UPLOAD", 60 * 1024 * 1024)
    # What an uploaded .xlsx/.docx may unpack to, checked in a child process with a
    # memory and time budget before anything parses it (README: 安全 · 上传限制).
    DIAODU_UPLOAD_MAX_MEMBERS = env_int("DIAODU_UPLOAD_MAX_MEMBERS", 2000)
    DIAODU_UPLOAD_MAX_UNZIPPED_MB = env_int("DIAODU_UPLOAD_MAX_UNZIPPED_MB", 300)
    DIAODU_UPLOAD_MAX_CELLS = env_int("DIAODU_UPLOAD_MAX_CELLS", 8_000_000)
    DIAODU_UPLOAD_PARSE_SECONDS = env_int("DIAODU_UPLOAD_PARSE_SECONDS", 60)
    DIAODU_UPLOAD_PARSE_MEMORY_MB = env_int("DIAODU_UPLOAD_PARSE_MEMORY_MB", 768)
    # Four eyes: nobody publishes a figure they entered or changed (web, API, import); 0 turns it off.
    DIAODU_FOUR_EYES = env_bool("DIAODU_FOUR_EYES", True)
    # An import preview not confirmed within this many minutes expires and its file is deleted.
    DIAODU_PREVIEW_MINUTES = env_int("DIAODU_PREVIEW_MINUTES", 60)
    # Completion-vs-schedule colours: green at or above pace, yellow within
    # this many percentage points below it, red beyond.
    DIAODU_PACE_YELLOW_POINTS = env_int("DIAODU_PACE_YELLOW_POINTS", 5)
    # Green needs completion − 序时进度 ≥ this many points (0: at or above pace).
    DIAODU_PACE_GREEN_POINTS = env_int("DIAODU_PACE_GREEN_POINTS", 0)
    # For growth-only targets (规上工业增加值 …): yellow within this many points below the target growth.
    DIAODU_GROWTH_YELLOW_POINTS = env_int("DIAODU_GROWTH_YELLOW_POINTS", 2)
    # What the status colours judge a target on: "auto" (growth targets on growth; total targets on
    # 按上年进度 where last year's monthly profile exists, else on 序时进度), "linear" (序时进度 first,
    # the official convention) or "seasonal" (按上年进度 first, for every target with a total).
    DIAODU_STATUS_BASIS = env_str("DIAODU_STATUS_BASIS", "auto")
    if DIAODU_STATUS_BASIS not in ("auto", "linear", "seasonal"):
        raise SettingError(
            f"DIAODU_STATUS_BASIS 只能是 auto、linear 或 seasonal，现为 {DIAODU_STATUS_BASIS!r}")
    # The big screen (/screen/) checks the data fingerprint this often (seconds) and redraws on a change.
    DIAODU_SCREEN_REFRESH_SECONDS = env_int("DIAODU_SCREEN_REFRESH_SECONDS", 20)
    # A rank or composite score is stated as a position only when at least this share (%) of the
    # peers reported; below it pages, documents, the API and the CLI say 数据不全（已报 n/14）.
    DIAODU_RANK_MIN_COVERAGE = env_int("DIAODU_RANK_MIN_COVERAGE", 80)
    # The dispatch room lists as weak items the positions 倒数第1..N位 among peers.
    DIAODU_WEAK_BOTTOM = env_int("DIAODU_WEAK_BOTTOM", 3)
    # A folder with the deployment's approved maps (<code>.json: the province's, the home city's); empty: the bundled 示意图.
    DIAODU_MAP_DIR = env_str("DIAODU_MAP_DIR", "")
    # Rendered pages and engine results, keyed by the data fingerprint (README: 配置): this process's
    # memory unless CACHE_URL (or REDIS_URL) names a Redis server shared by all workers.
    CACHES = caches_from_url(env_str("CACHE_URL") or env_str("REDIS_URL"))
    # The dispatch room re-reads the published data's fingerprint at most this often (seconds).
    # (0 under pytest, where one process loads and reloads databases within seconds.)
    DIAODU_FINGERPRINT_SECONDS = env_int("DIAODU_FINGERPRINT_SECONDS", 0 if "pytest" in sys.modules else 2)
    SECURE = env_bool("DIAODU_SECURE_COOKIES", False)
    # The date supervision deadlines and warnings are computed against (YYYY-MM-DD);
    # empty = today. The demo sets its own clock in the database (督查设置).
    DIAODU_TODAY = env_date("DIAODU_TODAY")
    # Login controls (等级保护 2.0 level 3, DOMAIN.md §7; README: 安全).
    DIAODU_PASSWORD_MAX_AGE_DAYS = env_int("DIAODU_PASSWORD_MAX_AGE_DAYS", 90)  # 0: never expires
    DIAODU_PASSWORD_HISTORY = env_int("DIAODU_PASSWORD_HISTORY", 5)  # earlier passwords that may not return
    # API tokens expire this many days after they were issued.
    DIAODU_API_TOKEN_DAYS = env_int("DIAODU_API_TOKEN_DAYS", 180)
    DIAODU_LOCKOUT_FAILURES = env_int("DIAODU_LOCKOUT_FAILURES", 5)  # 0: no lock
    DIAODU_LOCKOUT_MINUTES = env_int("DIAODU_LOCKOUT_MINUTES", 30)
    # Failed logins from one address (any usernames) within DIAODU_LOCKOUT_MINUTES that block it; 0: no limit.
    DIAODU_LOCKOUT_ADDRESS_FAILURES = env_int("DIAODU_LOCKOUT_ADDRESS_FAILURES", 20)
    DIAODU_IDLE_MINUTES = env_int("DIAODU_IDLE_MINUTES", 30)
    # 1: 管理员 always need the authenticator code; 0: never; unset: always, except in a demo database.
    DIAODU_REQUIRE_ADMIN_TOTP = env_bool("DIAODU_REQUIRE_ADMIN_TOTP", None)
    DIAODU_AUDIT_RETENTION_MONTHS = env_int("DIAODU_AUDIT_RETENTION_MONTHS", 6)
    # Task messages by e-mail (diaodu notify): Django's SMTP settings, from the environment.
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "diaodu@localhost")
    # Where the audit chains' heads are anchored outside the database (relative to DIAODU_HOME); empty: off.
    # (Off under pytest: test databases come and go; the anchor's own tests set it.)
    DIAODU_AUDIT_HEAD_DIR = env_str("DIAODU_AUDIT_HEAD_DIR", "" if "pytest" in sys.modules else "var/audit")
    if DIAODU_AUDIT_RETENTION_MONTHS < 6:
        raise SettingError("DIAODU_AUDIT_RETENTION_MONTHS 不能少于 6：审计记录须保存至少 6 个月（网络安全法第二十一条）。")
    # HTTPS (on when DIAODU_SECURE_COOKIES=1): redirect http, HSTS; behind a proxy that terminates TLS
    # and sets X-Forwarded-Proto, DIAODU_PROXY_SSL=1.
    SECURE_SSL_REDIRECT = env_bool("DIAODU_SSL_REDIRECT", SECURE)
    SECURE_HSTS_SECONDS = env_int("DIAODU_HSTS_SECONDS", 31536000 if SECURE else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DIAODU_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DIAODU_HSTS_PRELOAD", True)
    if env_bool("DIAODU_PROXY_SSL", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
except SettingError as exc:  # one clear sentence, never a traceback
    sys.stderr.write(f"配置错误：{exc}\n")
    raise SystemExit(1)

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "diaodu.accounts",  # first: its createsuperuser (password rules in --noinput too) overrides Django's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "diaodu.audit",
    "diaodu.org",
    "diaodu.indicators",
    "diaodu.ingest",
    "diaodu.demo",
    "diaodu.dashboard",
    "diaodu.projects",
    "diaodu.investment",
    "diaodu.enterprises",
    "diaodu.fiscal",
    "diaodu.industry",
    "diaodu.evaluation",  # after the ledger apps: its ledger (人工评分) lists after theirs
    "diaodu.supervision",
    "diaodu.briefings",
    "diaodu.core",  # last of ours: every ledger is registered when it is ready (admin from the specs)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "diaodu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "diaodu.accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "diaodu.dashboard.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "diaodu.accounts.sessions.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "diaodu.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "diaodu.accounts.middleware.PasswordExpiryMiddleware",
    "diaodu.org.middleware.HomeCityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "diaodu.urls"
WSGI_APPLICATION = "diaodu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "diaodu.dashboard.context.site",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "diaodu.accounts.validators.ComplexityValidator", "OPTIONS": {"min_length": 10, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "diaodu.accounts.validators.HistoryValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]  # one language: no LocaleMiddleware (it cost 5% of a page view)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders until collectstatic fills it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = BASE_DIR / "var" / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["diaodu.accounts.backends.LockoutModelBackend"]  # refuses locked accounts
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/start/"  # each role lands where it works (dashboard/landing.py)
LOGOUT_REDIRECT_URL = "/accounts/login/"

SESSION_COOKIE_AGE = DIAODU_IDLE_MINUTES * 60  # idle timeout (等级保护 practice: 30 minutes)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "diaodu.accounts.sessions"  # the database store; the expiry moves on at most once a minute
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}


# --- REST API (diaodu/api) ----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "diaodu.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browser; enforces CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],  # UNICODE_JSON: Chinese unescaped
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "diaodu.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "diaodu.api.schema.DiaoduSchema",
    "EXCEPTION_HANDLER": "diaodu.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "调度 Diaodu API",
    "DESCRIPTION": "数据、目标、排位、预测、评价、台账与督办事项。令牌：diaodu api-token 用户名；"
                   "请求头 Authorization: Token 密钥。错误统一为 {\"error\": {\"code\", \"message\", \"fields\"}}。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",  # vendored: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api",
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "diaodu.projects.models.Stage",
        "DealStageEnum": "diaodu.investment.models.DealStage",
        "RevisionStatusEnum": "diaodu.indicators.models.RevisionStatus",
        "ProductionStatusEnum": "diaodu.enterprises.models.ProductionStatus",
    },
}

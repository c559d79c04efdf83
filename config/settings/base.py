"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("KB_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "kb",
    "search.apps.SearchConfig",
    "importers",
    "editorial",
    "support.apps.SupportConfig",
    "accessibility",
    "feedback",
    "submissions",
    "ratelimits",
    "alerts.apps.AlertsConfig",
    "opendata.apps.OpenDataConfig",
    "axes",
    "csp",
    "ninja",  # so /api/docs serves Swagger UI from our static files, not a CDN
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.SitePolicyCSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # SQLite only: an admin write (Publish) takes the one write lock once, not six times.
    "config.write_transactions.AdminWriteTransactionMiddleware",
    # Every admin route to a private app's models (support...) needs that app's permission.
    "config.private_apps.PrivateAppsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside every middleware that adds headers, so a cached page gets them all (kb.page_cache).
    "kb.page_cache.PublicPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

# Rendered public pages for anonymous readers (kb.page_cache): how long a copy may live at
# most, and the apps whose writes never show on a public page.
PAGE_CACHE_ENABLED = True
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_UNRELATED_APPS = (
    "migrations",  # the record of applied migrations
    "sessions",
    "axes",
    "wagtailadmin",
    "wagtailusers",
    "support",
    "search",
    "feedback",
    "submissions",  # a submission's draft page bumps the generation as any page save does
    "ratelimits",
    "alerts",  # subscriptions and what they were sent: never on a public page
)

# Templates other apps add to every public page (kb.context_processors), so kb imports no app.
KB_PAGE_EXTRAS = {
    "after_content": ["feedback/_page_feedback.html"],
    "footer_links": ["submissions/_footer_link.html", "accessibility/_footer_link.html"],
}
# "Is this page useful?" and "Report a problem": answers per address per window (seconds).
FEEDBACK_RATE_LIMIT = (10, 3600)
# "Share your practice" (submissions/): the spam defences and how long declined ones are kept.
SUBMISSIONS_MIN_FILL_SECONDS = int(os.environ.get("SUBMISSIONS_MIN_FILL_SECONDS", "5"))
SUBMISSIONS_MAX_LINKS = 10  # web addresses in all the answers together
SUBMISSIONS_RATE_LIMITS = ((5, 3600), (3, 86400))  # per address per hour, per email per day
SUBMISSIONS_REPLY_LIMIT = (10, 86400)  # answers per submission per day
SUBMISSIONS_RETENTION_DAYS = int(os.environ.get("SUBMISSIONS_RETENTION_DAYS", "90"))

# --- security headers ---
# Only our own assets: no inline script (templates load JS from static files), no other host.
# The Wagtail admin sets style attributes in its markup, hence 'unsafe-inline' for styles, and
# starts its editor from inline scripts, so /admin/ alone also allows inline scripts
# (config.security.SitePolicyCSPMiddleware).
KB_ADMIN_URL_PREFIX = "/admin/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# One framing rule: our own pages may frame ours (the Wagtail editor shows its preview in a
# frame), no other site may. The CSP's frame-ancestors says it to current browsers and
# X-Frame-Options says the same to old ones. Django's deploy check asks for DENY (W019), which
# would contradict frame-ancestors, so that one check is silenced.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- login throttling (django-axes) ---
# 5 failures for one user name, or from one address, within 15 minutes lock that user name or
# address out for 15 minutes (HTTP 429). A success resets the count. Lockouts are logged by
# config.security without the user name or address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_USE_ATTEMPT_EXPIRATION = True  # the 5 failures must fall within those 15 minutes
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_VERBOSE = False  # its log lines name the user and the address
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful login either
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# How many proxies of ours add to X-Forwarded-For. None by default, everywhere: without a proxy
# the client writes that header itself, so the login throttle would count any address it
# claims. Behind a load balancer set TRUSTED_PROXY_COUNT=1 (docs/deployment.md, "Security").
KB_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kb.context_processors.site_chrome",
                "search.context_processors.search_box",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Dev and small installs: WAL lets pages be read while an editor publishes, and writers
    # queue (IMMEDIATE transactions, up to 20 s) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("accessible-autocomplete", BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Infant and maternal health inequalities knowledge base"
# The one address the site is served on (config/site.py): admin and public links in emails,
# and the default Wagtail Site's hostname and port (importers.site_tree).
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's own search index is only used inside the admin; the public search is `search/`.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The admin must not call releases.wagtail.org from editors' browsers (nothing from another host).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: nothing loads from another host, and no user's email hash leaves.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]

# Open data (/data/, opendata/): where the files are written, and the licence, attribution and
# publisher they carry. The report's material is Crown copyright; the default licence is the
# Open Government Licence v3.0, under which Crown copyright material is published for re-use.
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", VAR_DIR / "open-data"))
OPEN_DATA_LICENCE_NAME = os.environ.get("OPEN_DATA_LICENCE_NAME", "Open Government Licence v3.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
OPEN_DATA_ATTRIBUTION = os.environ.get(
    "OPEN_DATA_ATTRIBUTION",
    "Contains public sector information licensed under the Open Government Licence v3.0.",
)
OPEN_DATA_REPORT_SOURCE = os.environ.get(
    "OPEN_DATA_REPORT_SOURCE",
    "Report material is Crown copyright, from the Department of Health report Tackling health "
    "inequalities in infant and maternal health outcomes (Infant Mortality National Support "
    "Team, 2010).",
)
OPEN_DATA_PUBLISHER = os.environ.get("OPEN_DATA_PUBLISHER", WAGTAIL_SITE_NAME)

# Public search: which engine answers (embedded, opensearch or elasticsearch) and where the
# embedded index lives (also the cluster engines' fallback). Flat settings, one per environment
# variable, so a test can override each; docs/deployment.md lists them.
KB_SEARCH_ENGINE = os.environ.get("KB_SEARCH_ENGINE", "embedded")
KB_SEARCH_INDEX_PATH = Path(
    os.environ.get("KB_SEARCH_INDEX_PATH", VAR_DIR / "search-index.sqlite3")
)
# Where the processes of one server share what they know about the cluster (search.cluster_outage:
# "down until T"), so one request per check interval, not one per worker, pays a timeout.
# Local disk, like the index. Empty: each process finds out for itself.
KB_SEARCH_STATE_DIR = os.environ.get("KB_SEARCH_STATE_DIR", str(KB_SEARCH_INDEX_PATH.parent))
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")  # user:password@ allowed (basic auth)
OPENSEARCH_API_KEY = os.environ.get("OPENSEARCH_API_KEY", "")
OPENSEARCH_CA_CERTS = os.environ.get("OPENSEARCH_CA_CERTS", "")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
KB_ENVIRONMENT = os.environ.get("KB_ENVIRONMENT", "dev")
# The cluster alias; versioned indices are named <prefix>-<timestamp>.
KB_SEARCH_INDEX_PREFIX = (
    os.environ.get("KB_SEARCH_INDEX_PREFIX")
    or os.environ.get("KB_ELASTICSEARCH_INDEX_PREFIX")  # its name before OpenSearch
    or f"kb-{KB_ENVIRONMENT}"
)

# Email: SMTP configured from the environment (dev uses the console, tests locmem).
# Wagtail's moderation notifications go out through this. See docs/deployment.md.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() == "true"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "false").lower() == "true"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "knowledge-base@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Moderators review, so submissions go to them, not to every superuser as well.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# Under DEBUG, a refused request body (too many fields, too big) stays a 400 (config/debug.py).
DEFAULT_EXCEPTION_REPORTER = "config.debug.RefusedBodyExceptionReporter"

# One line per event on stderr: `LOG_FORMAT=json` (production's default) for log collectors,
# `plain` for people. Fallbacks, outbox replays, lockouts and index repairs log at WARNING with
# an `event` field; nothing personal (no user names, addresses or search terms) is logged.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "filters": {
        "request_path_only": {"()": "config.logs.RequestPathOnly"},
        "redact_pack_tokens": {"()": "config.logs.RedactPackTokens"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_path_only", "redact_pack_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Its handler logs every failed login with the user name: personal data.
        "axes": {"level": "ERROR"},
    },
}

# Importers and the link checker: "public" refuses addresses that resolve to private or loopback
# IPs; "loopback" (test settings) fetches only from this machine.
KB_FETCH_ADDRESSES = "public"

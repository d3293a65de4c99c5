"""All settings come from environment variables (healthchecks style).

Embedded default: SQLite under ./var, files on local disk, the database task
backend with `dangvu db_worker`. Production: DB=postgres (or DATABASE_URL),
REDIS_URL for the shared cache that carries task progress.
"""

import os
import secrets
import warnings
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.getenv("DANGVU_VAR_DIR", Path.cwd() / "var")).resolve()


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def _local_secret_key() -> str:
    """A per-installation key kept in var/secret_key, generated on first use."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# The key from the environment, or from a file only its service may read (SECRET_KEY_FILE: a
# systemd credential, a mounted secret), else one generated for this installation.
SECRET_KEY = (os.getenv("SECRET_KEY") or (Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()
                                          if os.getenv("SECRET_KEY_FILE") else "") or _local_secret_key())
DEBUG = envbool("DEBUG", "False")
ALLOWED_HOSTS = [h for h in os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "ninja",  # its Swagger UI files, so that /api/docs works with no internet
    "treebeard",
    "dangvu.lib.admin_translations.AxesConfig",  # django-axes, its admin in Vietnamese
    "django_otp",
    "dangvu.lib.admin_translations.TOTPConfig",  # django_otp.plugins.otp_totp, likewise
    "dangvu.jobs",  # before django_tasks_db: its db_worker recovers lost jobs first
    "dangvu.lib.admin_translations.TaskResultsConfig",  # django_tasks_db, likewise
    "dangvu.accounts",
    "dangvu.audit",
    "dangvu.orgs",
    "dangvu.documents",
    "dangvu.study",
    "dangvu.essays",
    "dangvu.training",
    "dangvu.figures",
    "dangvu.targets",
    "dangvu.inspections",
    "dangvu.evaluation",
    "dangvu.meetings",
    "dangvu.reports",
    "dangvu.ops",
    "dangvu.notebook",  # the sổ tay's reminders and their daily mail
]

MIDDLEWARE = [
    "dangvu.ops.requestlog.RequestLog",  # first: it times the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed and cached, by any server
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangvu.middleware.VietnameseFirstLocale",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangvu.lib.replica.ReadsFromReplica",  # after the user is known: a pin after a write is theirs
    "django_otp.middleware.OTPMiddleware",
    "dangvu.middleware.LoginRequired",
    "dangvu.middleware.SecondFactorRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orgs:home"
LOGOUT_REDIRECT_URL = "login"

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
                "django.template.context_processors.i18n",
                "dangvu.accounts.context_processors.menu",
            ],
            "libraries": {"dangvu": "dangvu.lib.templatetags.dangvu"},
        },
    }
]

# Database: SQLite by default, PostgreSQL with DB=postgres or DATABASE_URL.
DB = os.getenv("DB", "sqlite")
if os.getenv("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    DATABASES["default"].setdefault("TEST", {})
elif DB == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.getenv("PGHOST", "127.0.0.1"),
            "PORT": os.getenv("PGPORT", "5432"),
            "NAME": os.getenv("PGDATABASE", "test"),
            "USER": os.getenv("PGUSER", "postgres"),
            "PASSWORD": os.getenv("PGPASSWORD", ""),
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "0"),
            "TEST": {"NAME": os.getenv("PGTESTDATABASE") or None},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(VAR_DIR / "dangvu.sqlite3")),
            # IMMEDIATE avoids "database is locked" upgrades when web and worker write together.
            # timeout: how long a write waits for another's lock before "database is locked"
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": float(os.getenv("SQLITE_TIMEOUT", "30")),
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        }
    }

# A PostgreSQL streaming replica for the pages' reads (dangvu/lib/replica.py): GET requests read
# it, except a user's for REPLICA_PIN_SECONDS after their own write; everything else the primary.
if os.getenv("DATABASE_REPLICA_URL"):
    import dj_database_url

    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["dangvu.lib.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = float(os.getenv("REPLICA_PIN_SECONDS", "10"))

# A dead connection (PostgreSQL restarted) is replaced at the next request instead of failing it.
for _database in DATABASES.values():
    _database["CONN_HEALTH_CHECKS"] = True
# Server-side cursors (QuerySet.iterator) are read to their end here: PostgreSQL is told to plan
# them for all their rows, not for the first tenth (the national root's essays at a million
# members: 16.5 s planned for the first rows, 2.8 s for all; bench/national_measures.py).
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c cursor_tuple_fraction=1".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that account is refused from that address for the cool-off. Counted per
# (account, address) pair, so that nobody can lock someone else out by guessing from
# elsewhere: the real user, from their own address, still gets in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("LOGIN_COOLOFF_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = [h for h in os.getenv("LOGIN_CLIENT_IP_HEADERS", "REMOTE_ADDR").split(",") if h]
AXES_VERBOSE = False
PASSWORD_HASHES_AT_ONCE = envint("PASSWORD_HASHES_AT_ONCE", "2")
# Argon2id's cost: OWASP's 19 MiB, 2 passes, 1 lane (dangvu/accounts/hashers.py).
ARGON2_MEMORY_KIB = envint("ARGON2_MEMORY_KIB", "19456")
ARGON2_TIME_COST = envint("ARGON2_TIME_COST", "2")
ARGON2_PARALLELISM = envint("ARGON2_PARALLELISM", "1")
# A second factor (a six-digit code from an authenticator app) for anyone who turns it on,
# committee officers first of all: /account/otp/setup/.
OTP_TOTP_ISSUER = os.getenv("OTP_ISSUER", "dangvu")
# On: whoever holds a write key must set up the second factor before doing anything else.
OTP_REQUIRED_FOR_WRITERS = envbool("OTP_REQUIRED_FOR_WRITERS", "False")

PASSWORD_HASHERS = [
    "dangvu.accounts.hashers.BoundedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Progress of long work is written here by workers and read by pages; it must be
# shared between processes, so no local-memory cache.
if os.getenv("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}
else:
    # kept figures are one entry a measure, unit and period: room for a province's pages
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 5000}}}

TASKS = {
    "default": {
        "BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# E-mail for reminders: off unless EMAIL_HOST is set (then SMTP; else the console).
EMAIL_CONFIGURED = bool(os.getenv("EMAIL_HOST"))
MAILERS = {"default": {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {"host": os.getenv("EMAIL_HOST"), "port": int(os.getenv("EMAIL_PORT", "587")),
                "username": os.getenv("EMAIL_HOST_USER", ""), "password": os.getenv("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.getenv("EMAIL_USE_TLS", "1") == "1"},
} if EMAIL_CONFIGURED else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "dangvu@localhost")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment for the whole domain, left to the operator (SECURE_HSTS_PRELOAD=1).
    "security.W021",
]
if not EMAIL_CONFIGURED:  # no e-mail server given: reminders are printed, which is what is meant
    SILENCED_SYSTEM_CHECKS.append("mail.E001")

# Long work (imports, copy checks, report builds) runs as jobs (dangvu/jobs): a running job's
# worker writes a heartbeat into the job's row every JOB_HEARTBEAT_SECONDS; after
# JOB_STALE_SECONDS without one, `dangvu recover_jobs` (cron, and the worker when it starts)
# queues it again or marks it failed.
JOB_HEARTBEAT_SECONDS = float(os.getenv("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALE_SECONDS = float(os.getenv("JOB_STALE_SECONDS", "120"))
# Each task worker also beats on its own, idle or busy (the health check reads it), and looks for
# lost jobs at each beat.
WORKER_BEAT_SECONDS = float(os.getenv("WORKER_BEAT_SECONDS", "10"))

# Figures are kept per unit and period (dangvu/figures/store.py) and counted again by the worker
# after a change that touches them, FIGURE_RECOUNT_AFTER seconds after it (one count covers a
# burst). Until then a page of the open period shows the kept figures, with the time they were
# counted, for at most FIGURE_DELAY seconds after the change; after that it counts them itself.
# FIGURE_STORE=0 counts every figure on every request.
FIGURE_STORE = os.getenv("FIGURE_STORE", "1") != "0"
FIGURE_RECOUNT = os.getenv("FIGURE_RECOUNT", "1") != "0"
FIGURE_RECOUNT_AFTER = float(os.getenv("FIGURE_RECOUNT_AFTER", "5"))
FIGURE_DELAY = float(os.getenv("FIGURE_DELAY", "60"))

# The copy check: local processes (0 = two per core), or a Dask scheduler address.
# Evaluation (Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW). Where the rules leave a choice, these
# are the defaults the guidance describes; the README says what each means.
# Who decides a member's level: "grassroots" (the đảng ủy cơ sở above the cell) or "cell".
EVALUATION_MEMBERS_DECIDED_BY = os.getenv("EVALUATION_MEMBERS_DECIDED_BY", "grassroots")
# Xuất sắc at most this share of those rated tốt in a peer group (EXCEPTION: where the deciding
# committee recorded an exception decision, for units); the base is those rated tốt, or, with
# "good_or_excellent", tốt and xuất sắc together.
EVALUATION_CAP = float(os.getenv("EVALUATION_CAP", "0.20"))
EVALUATION_CAP_EXCEPTION = float(os.getenv("EVALUATION_CAP_EXCEPTION", "0.25"))
EVALUATION_CAP_BASE = os.getenv("EVALUATION_CAP_BASE", "good_or_excellent")
EVALUATION_MEMBERS_DECIDED_BY_CHOICES = ("grassroots", "cell")
if EVALUATION_CAP_BASE not in ("good", "good_or_excellent") or not 0 < EVALUATION_CAP <= 1 or \
        EVALUATION_MEMBERS_DECIDED_BY not in EVALUATION_MEMBERS_DECIDED_BY_CHOICES:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EVALUATION_CAP_BASE is good or good_or_excellent, EVALUATION_CAP a share in (0, 1], "
                               "EVALUATION_MEMBERS_DECIDED_BY grassroots or cell")
# A round over more members than this is listed by the worker, with its progress on the page.
EVALUATION_INLINE_SUBJECTS = int(os.getenv("EVALUATION_INLINE_SUBJECTS", "5000"))
# Deciding more proposals than this at once is left to the worker, with its progress on the page.
EVALUATION_INLINE_DECISIONS = int(os.getenv("EVALUATION_INLINE_DECISIONS", "50"))
# Rounds of these kinds count in the figures (quarters feed the year, they are not counted again).
EVALUATION_COUNTED_KINDS = tuple(os.getenv("EVALUATION_COUNTED_KINDS", "year").split(","))

# Cell meetings: the quality criteria of Hướng dẫn 12-HD/BTCTW (settings with its defaults).
MEETING_ATTENDANCE_PERCENT = int(os.getenv("MEETING_ATTENDANCE_PERCENT", "85"))  # present above this share
MEETING_EXCUSED_IN_A_ROW = int(os.getenv("MEETING_EXCUSED_IN_A_ROW", "3"))  # excused more times in a row fails
MEETING_MINUTES = int(os.getenv("MEETING_MINUTES", "90"))  # the meeting lasts at least this long
# the share of the dues a cell collects that it keeps; the rest goes to the committee above (Quy định 342)
DUES_CELL_KEEPS_PERCENT = int(os.getenv("DUES_CELL_KEEPS_PERCENT", "30"))

# Operations (dangvu/ops): requests slower than this are kept for the operations page, with the
# server errors, the last REQUEST_RECORDS_KEPT of each; uploads are refused, and /healthz says
# so, when the disk holding them has less than UPLOAD_MIN_FREE_MB free.
SLOW_REQUEST_MS = envint("SLOW_REQUEST_MS", "1000")
REQUEST_RECORDS_KEPT = envint("REQUEST_RECORDS_KEPT", "5000")
UPLOAD_MIN_FREE_MB = envint("UPLOAD_MIN_FREE_MB", "200")
# the hour (local time) from which `housekeeping` does the night's work: the day's kept figures,
# copy checks, reminders, the backup
HOUSEKEEPING_HOUR = envint("HOUSEKEEPING_HOUR", "1")

ESSAY_SCAN_WORKERS = int(os.getenv("ESSAY_SCAN_WORKERS", "0"))
# A Dask cluster for the copy checks of central and provincial campaigns (ESSAY_SCAN_DASK, its
# earlier name, still read). The essays are written for it under DASK_SCRATCH_DIR, a folder every
# Dask worker reads at the same path (a shared file system); without it, the system's temporary
# folder, which only workers on this machine see.
DASK_SCHEDULER = os.getenv("DASK_SCHEDULER", os.getenv("ESSAY_SCAN_DASK", ""))
DASK_SCRATCH_DIR = os.getenv("DASK_SCRATCH_DIR", "")
DASK_CONNECT_TIMEOUT = envint("DASK_CONNECT_TIMEOUT", "30")  # seconds before an unreachable cluster fails the check

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True  # 1.257.021 in Vietnamese, 1,257,021 in English
FORMAT_MODULE_PATH = ["dangvu.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = os.getenv("STATIC_ROOT", str(VAR_DIR / "static"))
MEDIA_ROOT = os.getenv("MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "media/"  # never routed: uploaded and issued files are served by views that check scope
# Static files: hashed names and far-future caching once collected (make serve sets STATIC_MANIFEST=1);
# the finders serve them uncollected in development and tests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if envbool("STATIC_MANIFEST", "False") else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not envbool("STATIC_MANIFEST", "False")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files are checked against these before they are unpacked or parsed.
UPLOAD_LIMITS = {
    "zip_bytes": envint("UPLOAD_ZIP_MAX_MB", "512") * 2**20,  # a bulk .zip, all files unpacked
    "zip_files": envint("UPLOAD_ZIP_MAX_FILES", "5000"),
    "zip_ratio": envint("UPLOAD_ZIP_MAX_RATIO", "100"),  # unpacked / packed size of one file
    "file_bytes": envint("UPLOAD_FILE_MAX_MB", "20") * 2**20,  # one essay or document file
    "xml_bytes": envint("UPLOAD_XML_MAX_MB", "20") * 2**20,  # the text part of a .docx or .xlsx, unpacked
    "pdf_pages": envint("UPLOAD_PDF_MAX_PAGES", "300"),
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind HTTPS (SECURE_COOKIES=1): redirect plain HTTP, tell browsers to use HTTPS only.
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE and envbool("SECURE_SSL_REDIRECT", "True")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000") if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE
SECURE_HSTS_PRELOAD = SESSION_COOKIE_SECURE and envbool("SECURE_HSTS_PRELOAD", "False")
# `make serve` on 127.0.0.1 without a TLS proxy yet: the four checks that need HTTPS are
# answered by SECURE_COOKIES=1 once the proxy is there; until then they are silenced, and only then.
if envbool("PLAIN_HTTP_ON_LOOPBACK", "False") and not SESSION_COOKIE_SECURE:
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a load balancer probes over plain HTTP
if os.getenv("SECURE_PROXY_SSL_HEADER"):  # e.g. HTTP_X_FORWARDED_PROTO behind nginx
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
# No inline script or style anywhere: scripts and styles come from our own files only.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


# Rule versions stamped on rule-driven records.
ORG_RULE_VERSION = "294-QĐ/TW"

# One JSON line per request on dangvu.request (dangvu/ops/requestlog.py), off unless REQUEST_LOG=1
# (make serve turns it on): with it, stdout is the request log the supervisor keeps.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"bare": {"format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler"},
                 "requests": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "bare"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    "loggers": {"dangvu.request": {"handlers": ["requests"], "propagate": False,
                                   "level": "INFO" if envbool("REQUEST_LOG", "False") else "WARNING"}},
}

warnings.filterwarnings("ignore", module="treebeard")

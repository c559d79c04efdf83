"""Test settings: fast hashing, an index file per test run, plain static storage."""

import tempfile

from .base import *  # noqa: F403
from .base import Path, os

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KB_SEARCH_INDEX_PATH = Path(
    os.environ.get("KB_SEARCH_INDEX_PATH")
    or Path(tempfile.mkdtemp(prefix="kb-test-index-")) / "search-index.sqlite3"
)
# Each test process finds out about the cluster for itself (a test enables the shared outage
# file with a folder of its own), so no test sees another's outage.
KB_SEARCH_STATE_DIR = os.environ.get("KB_SEARCH_STATE_DIR", "")
KB_ENVIRONMENT = "test"
KB_SEARCH_INDEX_PREFIX = "kb-test"
# Tests serve pages from 127.0.0.1 and must never reach a real address.
KB_FETCH_ADDRESSES = "loopback"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The journeys fill the form faster than a person; the minimum fill time has its own tests.
SUBMISSIONS_MIN_FILL_SECONDS = 0
# Open data files per test run (tests that export write into a directory of their own).
OPEN_DATA_DIR = Path(tempfile.mkdtemp(prefix="kb-test-open-data-"))

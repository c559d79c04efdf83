"""Production: secrets and hosts must come from the environment; refuse to start otherwise."""

import sys

from .base import *  # noqa: F403
from .base import os

if not os.environ.get("SECRET_KEY"):
    sys.stderr.write("error: SECRET_KEY must be set in the environment for production settings\n")
    raise SystemExit(2)

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
# A load balancer checks /healthz over plain http on the private network: it must see the
# answer, not a redirect to https. Only that exact path; every page still redirects.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # noqa: F405

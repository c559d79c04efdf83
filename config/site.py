"""The site's own address, for links that leave a request behind (emails, data files).

One setting, `WAGTAILADMIN_BASE_URL`, says where the public site lives.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """A site path (e.g. a page's URL) as a full address on the configured site."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_host() -> str:
    """The site's host name, without port (e.g. for Message-IDs)."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"

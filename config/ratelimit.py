"""A fixed-window rate limit in Django's cache: how public forms refuse floods without an outside
service. The identity (an address or an email) is a keyed hash, so no cache key holds it in any
recoverable form. Without a shared CACHES backend each worker process counts on its own."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def allow(scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `identity` in `scope`; False once `limit` were made in the window."""
    secret = settings.SECRET_KEY.encode()
    digest = hmac.new(secret, f"{scope}:{identity}".encode(), hashlib.sha256).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    if cache.add(key, 1, window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
        return True
    return count <= limit

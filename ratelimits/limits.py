"""A sliding-window rate limit for public forms, with no outside service.

Counted in the database, so every worker process and server shares one count (Django's default
cache is per process). Who made an attempt is a keyed hash (HMAC with SECRET_KEY), so the table
holds no address or email in any recoverable form; rows older than the window are deleted as
new ones arrive.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from .models import Attempt


def keyed_hash(scope: str, identity: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{scope}:{identity}".encode(), hashlib.sha256).hexdigest()


def allow(scope: str, identity: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt by `identity` in `scope`; False (and not counted) once `limit`
    attempts fall within the last `window_seconds`."""
    now = timezone.now()
    since = now - datetime.timedelta(seconds=window_seconds)
    Attempt.objects.filter(scope=scope, at__lt=since).delete()
    key = keyed_hash(scope, identity)
    if Attempt.objects.filter(scope=scope, key=key, at__gte=since).count() >= limit:
        return False
    Attempt.objects.create(scope=scope, key=key)
    return True

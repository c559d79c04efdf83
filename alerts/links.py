"""Signed links in alert emails, and absolute URLs from `config.site`.

Tokens carry only a subscription id, signed: no address ever appears in a URL (URLs end up in
access logs and browser histories).
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from config.site import absolute_url as absolute

CONFIRM_MAX_AGE = 7 * 24 * 3600  # the same 7 days after which unconfirmed sign-ups are deleted
MANAGE_MAX_AGE = 90 * 24 * 3600  # every alert carries a fresh one
SALTS = {
    "confirm": "alerts.confirm",
    "unsubscribe": "alerts.unsubscribe",
    "manage": "alerts.manage",
}
MAX_AGES = {"confirm": CONFIRM_MAX_AGE, "unsubscribe": None, "manage": MANAGE_MAX_AGE}


def make_token(purpose: str, subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=SALTS[purpose], compress=False)


def read_token(purpose: str, token: str) -> int | None:
    """The subscription id, or None for a forged, mangled or expired token."""
    try:
        value = signing.loads(token, salt=SALTS[purpose], max_age=MAX_AGES[purpose])
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return value if isinstance(value, int) else None


def signed_url(purpose: str, subscription_id: int) -> str:
    return absolute(reverse(f"alert-{purpose}", args=[make_token(purpose, subscription_id)]))

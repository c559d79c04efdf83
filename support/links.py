"""Answering a private link (the pack's share link, the area's progress link): one rule for both.

An unknown or malformed token is a 404; a revoked or expired link a 410 with a page that says
which, and never the record. Every answer carries noindex and never-cache, so the token stays
out of search engines and shared caches.
"""

from __future__ import annotations

import re

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

TOKEN_RE = re.compile(r"[A-Za-z0-9_.-]{20,80}")


def find_link(model, token):
    """(link, None) for a live link of `model`, else (None, (state, status))."""
    link = model.from_token(token) if TOKEN_RE.fullmatch(token or "") else None
    if link is None:
        return None, ("unknown", 404)
    if link.link_state != "active":
        return None, (link.link_state, 410)
    return link, None


def private(response, referrer_policy="no-referrer"):
    """Headers for any page a private link opens."""
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = referrer_policy
    add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, private
    return response


def link_gone(request, state, status, *, kind):
    """The 404 or 410 page; `kind` is "pack" or "progress" (what the link was for)."""
    response = render(
        request, "support/link_gone.html", {"state": state, "kind": kind}, status=status
    )
    return private(response)

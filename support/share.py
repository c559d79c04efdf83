"""The pack share page and its PDF: public, read-only, by an unguessable token, never listed.

Unknown tokens are a 404; revoked or expired ones a 410 with a page that says so. Neither ever
shows the pack. Responses carry noindex and no-referrer, so the token stays out of search
engines and out of the sites the pack links to.
"""

import re

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import PackSending
from .pdf import render_pack_pdf

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _find(token):
    """(sending, None) for a live link, else (None, the error response)."""
    sending = None
    if TOKEN_RE.fullmatch(token or ""):
        sending = PackSending.objects.filter(token=token).first()
    if sending is None:
        return None, ("unknown", 404)
    state = sending.link_state
    if state != "active":
        return None, (state, 410)
    return sending, None


def _gone(request, state, status, sending_expiry=None):
    response = render(request, "support/share_gone.html", {"state": state}, status=status)
    return _private(response)


@never_cache
@require_GET
def pack_share(request, token):
    sending, error = _find(token)
    if error:
        return _gone(request, *error)
    context = {"snapshot": sending.snapshot, "token": token, "sending": sending}
    return _private(render(request, "support/share.html", context))


@never_cache
@require_GET
def pack_pdf(request, token):
    sending, error = _find(token)
    if error:
        return _gone(request, *error)
    data = render_pack_pdf(sending.snapshot)
    response = HttpResponse(data, content_type="application/pdf")
    name = slugify(sending.snapshot.get("title", "")) or "signposting-pack"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return _private(response)

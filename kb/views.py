"""Small non-page views for the public site."""

from django.core.validators import slug_re
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .contexts.visibility import public
from .models import AreaIndexPage, AreaPage


@require_GET
def go_to_area(request):
    """The home page's "find your area" form posts here; works without JavaScript.

    An unknown, missing or malformed area goes to the list of areas rather than an error
    (a malformed one never reaches the database: PostgreSQL rejects NUL bytes outright).
    """
    slug = (request.GET.get("area") or "").strip()[:120]
    valid = bool(slug) and slug_re.fullmatch(slug) is not None
    page = public(AreaPage).filter(area__slug=slug).first() if valid else None
    if page is None:
        index = AreaIndexPage.objects.live().first()
        return redirect(index.get_url(request) if index else "/")
    return redirect(page.get_url(request))

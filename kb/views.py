"""Small non-page views for the public site."""

from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from .models import AreaIndexPage, AreaPage


@require_GET
def go_to_area(request):
    """The home page's "find your area" form posts here; works without JavaScript.

    An unknown or missing area goes to the list of areas rather than an error.
    """
    slug = (request.GET.get("area") or "").strip()[:120]
    page = AreaPage.objects.live().filter(area__slug=slug).first() if slug else None
    if page is None:
        index = AreaIndexPage.objects.live().first()
        return redirect(index.get_url(request) if index else "/")
    return redirect(page.get_url(request))

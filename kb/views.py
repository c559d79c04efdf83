"""Small non-page views for the public site."""

from django.core.validators import slug_re
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from . import citation
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


CITATION_FORMATS = {
    "ris": (citation.ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "bibtex": (citation.bibtex, "application/x-bibtex; charset=utf-8", "bib"),
}


@require_GET
def cite(request, page_id, style):
    """A page's citation as a file for reference managers; only public, citable pages."""
    for model in citation.CITABLE:
        page = public(model).filter(pk=page_id).first()
        if page is not None:
            break
    else:
        raise Http404("No citable page with that number.")
    build, content_type, extension = CITATION_FORMATS[style]
    response = HttpResponse(
        build(page, request.build_absolute_uri(page.get_url(request))), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.{extension}"'
    return response

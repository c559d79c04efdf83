"""Site navigation: the sections under the home page and the breadcrumb trail.

Header, footer, home page and breadcrumbs share one query a request.
"""

from django.db.models import Q
from wagtail.models import Page, Site

from .visibility import public


def _home_and_sections(request, page):
    """The home page and its live children, fetched in one query and kept on the request."""
    cached = getattr(request, "_kb_home_and_sections", None)
    if cached is not None:
        return cached
    if page is not None and getattr(page, "depth", 0) >= 2:
        home_path = page.path[: Page.steplen * 2]
    else:
        site = Site.find_for_request(request)
        home_path = site.root_page.path if site else None
    home, sections = None, []
    if home_path:
        pages = (
            public(Page, request)
            .filter(Q(path=home_path) | Q(depth=3, path__startswith=home_path))
            .order_by("path")
            .only("pk", "title", "path", "depth", "url_path", "content_type_id")
        )
        for candidate in pages:
            if candidate.depth == 2:
                home = candidate
            else:
                sections.append(candidate)
    request._kb_home_and_sections = (home, sections)
    return home, sections


def site_sections(request, page=None):
    """The section indexes under the home page with their URLs, for navigation.

    Header, footer and home page all use it; it costs one query a request.
    """
    cached = getattr(request, "_kb_site_sections", None)
    if cached is not None:
        return cached
    sections = []
    for child in _home_and_sections(request, page)[1]:
        url = child.get_url(request)
        if url:
            sections.append(
                {
                    "label": child.title,
                    "url": url,
                    "path": child.path,
                    "model": child.specific_class,
                    "current": request.path.startswith(url),
                    "is_page": request.path == url,
                }
            )
    request._kb_site_sections = sections
    return sections


def breadcrumb_trail(request, page):
    """(title, url) pairs from Home down to the page's parent.

    Pages up to two levels under home reuse the navigation query; deeper ones ask the tree.
    """
    if page is None or getattr(page, "depth", 0) <= 2:
        return []
    home, _ = _home_and_sections(request, page)
    if home is None:
        return []
    trail = [{"title": "Home", "url": home.get_url(request)}]
    if page.depth == 3:
        return trail
    section = next(
        (s for s in site_sections(request, page) if page.path.startswith(s["path"])), None
    )
    if page.depth == 4 and section is not None:
        return [*trail, {"title": section["label"], "url": section["url"]}]
    ancestors = page.get_ancestors().filter(depth__gt=2).only("pk", "title", "path", "url_path")
    return trail + [{"title": a.title, "url": a.get_url(request)} for a in ancestors]


def section_url(request, page, model):
    """URL of the section index of the given page type (e.g. AreaIndexPage), or ''."""
    return next(
        (item["url"] for item in site_sections(request, page) if item["model"] is model), ""
    )

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


# The sections of each host's home page, for pages that are not Wagtail pages (/search/, the API
# docs, ...), which the page cache never stores: kept in this process until content changes.
# Key: (host, page cache generation); only the current generation is kept.
_SECTIONS_BY_HOST: dict[tuple[str, int], list[dict]] = {}


def forget_shared_sections() -> None:
    """Content changed in this process (kb.page_cache bumps the generation): drop the copies.

    Other processes see the new generation; this one may be inside the writing transaction,
    which could still roll back to the old number, so its copies go at once.
    """
    _SECTIONS_BY_HOST.clear()


def _section_links(request, page) -> list[dict]:
    links = []
    for child in _home_and_sections(request, page)[1]:
        url = child.get_url(request)
        if url:
            links.append(
                {
                    "label": child.title,
                    "url": url,
                    "path": child.path,
                    "model": child.specific_class,
                }
            )
    return links


def _shared_section_links(request) -> list[dict]:
    """The home page's sections for this host, from memory while no content has changed.

    One query (the page cache's generation number, bumped by every content write) instead of
    three (the site, the view restrictions, the pages): the search page, whose query string
    keeps it out of the page cache, renders the header and footer on every request.
    """
    # Here, not at the top: kb.page_cache calls back into this module when content changes.
    from kb.page_cache import current_generation

    generation = current_generation()
    if generation is None:
        return _section_links(request, None)
    key = (request.get_host(), generation)
    links = _SECTIONS_BY_HOST.get(key)
    if links is None:
        links = _section_links(request, None)
        for stale in [k for k in _SECTIONS_BY_HOST if k[1] != generation]:
            _SECTIONS_BY_HOST.pop(stale, None)
        _SECTIONS_BY_HOST[key] = links
    return links


def site_sections(request, page=None):
    """The section indexes under the home page with their URLs, for navigation.

    Header, footer and home page all use it: one query a request on a Wagtail page, and none
    beyond the page cache's generation on other pages while content is unchanged.
    """
    cached = getattr(request, "_kb_site_sections", None)
    if cached is not None:
        return cached
    links = _section_links(request, page) if page is not None else _shared_section_links(request)
    sections = [
        {
            **link,
            "current": request.path.startswith(link["url"]),
            "is_page": request.path == link["url"],
        }
        for link in links
    ]
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

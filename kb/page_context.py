"""What each public page shows beyond its own fields, gathered in a fixed, small number of queries.

Pages call these from get_context(). Every function does a bounded number of queries whatever
the amount of content (tests hold each page type to at most 20), and links are resolved with
the request so Wagtail reuses its cached site root paths.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Q
from wagtail.models import Page, Site

from . import charts
from .models.pages import (
    AreaIndexPage,
    AreaPage,
    CaseStudyPage,
    EvidenceSummaryPage,
    NewsPage,
    ResourcePage,
)
from .models.taxonomy import Intervention, Theme

LATEST_CASE_STUDIES = 4
RELATED_LIMIT = 4


def search_url(**filters):
    """A link into the public search with facet filters set, e.g. ?theme=housing.

    A list repeats the parameter (?theme=a&theme=b); the search ORs values within a facet.
    """
    return "/search/?" + urlencode(
        {key: value for key, value in filters.items() if value}, doseq=True
    )


def theme_search_url(theme):
    """A search over the theme and the themes under it."""
    return search_url(theme=[member.slug for member in theme.family()])


def theme_url(theme, hub_urls):
    """Where a theme link goes: its hub where there is one, else a search over its family."""
    return hub_urls.get(theme.pk) or theme_search_url(theme)


def private_q(request):
    """Which pages sit in a view-restricted section; the restrictions are read once a request."""
    cached = getattr(request, "_kb_private_q", None)
    if cached is None:
        cached = Page.objects.all().private_q()
        request._kb_private_q = cached
    return cached


def public(model, request):
    """Live pages of `model` anyone may see: what every public listing shows.

    The same rule as Wagtail's .live().public() (feeds and search use that), without asking
    for the restrictions again for each listing on a page.
    """
    return model.objects.live().exclude(private_q(request))


def evidence_pages(request):
    """Every live evidence summary, in tree order, fetched once per request."""
    cached = getattr(request, "_kb_evidence_pages", None)
    if cached is None:
        cached = list(
            public(EvidenceSummaryPage, request)
            .order_by("path")
            .only("pk", "title", "path", "depth", "url_path", "theme_id")
        )
        request._kb_evidence_pages = cached
    return cached


def hub_urls_by_theme(request):
    """Theme id -> URL of its evidence summary (the theme hub)."""
    return {hub.theme_id: hub.get_url(request) for hub in evidence_pages(request) if hub.theme_id}


def national_picture(request):
    """The evidence summary with no theme: the national picture (Section 1 of the report)."""
    return next((hub for hub in evidence_pages(request) if hub.theme_id is None), None)


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

    Header, footer and home page all use it; it costs one query a request.
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


def theme_links(themes, hub_urls):
    """Themes as (name, url) pairs: the hub where there is one, else a filtered search."""
    return [{"theme": theme, "url": theme_url(theme, hub_urls)} for theme in themes]


def area_links(areas, request):
    """Areas with their area page URL where one is published."""
    links = []
    for area in areas:
        page = getattr(area, "page", None)
        url = page.get_url(request) if page is not None and page.live else ""
        links.append({"area": area, "url": url})
    return links


def home_context(page, request):
    """Theme tiles with counts, latest case studies, the "what works" ranking, areas to pick."""
    themes = list(Theme.objects.prefetch_related("children"))

    case_study_pairs = CaseStudyPage.themes.through.objects.filter(
        casestudypage__in=public(CaseStudyPage, request)
    ).values_list("theme_id", "casestudypage_id")
    resource_pairs = ResourcePage.themes.through.objects.filter(
        resourcepage__in=public(ResourcePage, request)
    ).values_list("theme_id", "resourcepage_id")
    case_studies_by_theme = defaultdict(set)
    for theme_id, page_id in case_study_pairs:
        case_studies_by_theme[theme_id].add(page_id)
    resources_by_theme = defaultdict(set)
    for theme_id, page_id in resource_pairs:
        resources_by_theme[theme_id].add(page_id)

    hub_urls = hub_urls_by_theme(request)
    tiles = []
    for theme in themes:
        if theme.parent_id:
            continue
        family = theme.family()
        case_study_ids = set().union(*(case_studies_by_theme[t.pk] for t in family))
        resource_ids = set().union(*(resources_by_theme[t.pk] for t in family))
        tiles.append(
            {
                "theme": theme,
                "url": theme_url(theme, hub_urls),
                "case_study_count": len(case_study_ids),
                "resource_count": len(resource_ids),
            }
        )
    tiles.sort(key=lambda tile: (not tile["theme"].is_core, tile["theme"].sort_order))

    latest = list(
        public(CaseStudyPage, request)
        .prefetch_related("areas")
        .order_by("-first_published_at", "-pk")[:LATEST_CASE_STUDIES]
    )

    # Only what the area picker needs: full page objects for 50 areas would double the time.
    area_choices = list(
        public(AreaPage, request)
        .order_by("area__name")
        .values("area__slug", "area__name", "area__is_annex_area")
    )
    return {
        "theme_tiles": tiles,
        "core_theme_count": sum(1 for theme in themes if theme.is_core),
        "latest_case_studies": latest,
        "what_works": what_works(request),
        "area_choices": area_choices,
        "annex_area_count": sum(1 for choice in area_choices if choice["area__is_annex_area"]),
        "national_picture": national_picture(request),
        "area_index_url": section_url(request, page, AreaIndexPage),
    }


def modelled_interventions():
    """Interventions with an estimated contribution (Figure 3), largest first."""
    return list(
        Intervention.objects.filter(gap_contribution_pp__isnull=False).order_by(
            "-gap_contribution_pp", "name"
        )
    )


def what_works(request):
    """Figure 3's interventions, largest estimated contribution first, each with where to read on.

    Each links to the evidence summaries that cite it and to its case studies in search.
    """
    interventions = modelled_interventions()
    ids = [intervention.pk for intervention in interventions]
    evidence_by_intervention = defaultdict(list)
    for link in (
        EvidenceSummaryPage.interventions.through.objects.filter(
            intervention_id__in=ids, evidencesummarypage__in=public(EvidenceSummaryPage, request)
        )
        .select_related("evidencesummarypage")
        .order_by("evidencesummarypage__path")
    ):
        evidence_by_intervention[link.intervention_id].append(link.evidencesummarypage)
    case_study_counts = defaultdict(int)
    for intervention_id in CaseStudyPage.interventions.through.objects.filter(
        intervention_id__in=ids, casestudypage__in=public(CaseStudyPage, request)
    ).values_list("intervention_id", flat=True):
        case_study_counts[intervention_id] += 1

    rows = []
    for intervention in interventions:
        rows.append(
            {
                "intervention": intervention,
                "evidence": [
                    {"title": summary.title, "url": summary.get_url(request)}
                    for summary in evidence_by_intervention[intervention.pk]
                ],
                "case_study_count": case_study_counts[intervention.pk],
                "case_studies_url": search_url(intervention=intervention.slug, type="case_study"),
            }
        )
    chart = charts.intervention_contribution_chart(interventions)
    return {"rows": rows, "chart": chart}


def evidence_context(page, request):
    """The theme hub: its figures as charts, its recommendation table, and the theme's practice."""
    statistics = list(page.key_statistics.all())
    rows = list(page.recommendation_rows.all())
    context = {
        "statistics": statistics,
        "plain_statistics": [stat for stat in statistics if not stat.chart],
        "statistic_charts": charts.key_statistic_charts(statistics),
        "recommendation_rows": rows,
        "category_rows_total": page.rows_total(rows),
        "recommendation_chart": charts.recommendation_category_chart(page, rows),
        "interventions": list(page.interventions.all()),
    }
    theme = page.theme
    if theme is None:
        context["what_works_chart"] = charts.intervention_contribution_chart(
            modelled_interventions()
        )
        context["hub_links"] = [
            {"title": hub.title, "url": hub.get_url(request)}
            for hub in evidence_pages(request)
            if hub.theme_id
        ]
        return context

    family = theme.family()
    context["case_studies"] = list(
        public(CaseStudyPage, request)
        .filter(themes__in=family)
        .distinct()
        .prefetch_related("areas")
        .order_by("title")
    )
    context["resources"] = list(
        public(ResourcePage, request)
        .filter(themes__in=family)
        .distinct()
        .select_related("publisher")
        .order_by("title")
    )
    context["theme_search_url"] = search_url(theme=[member.slug for member in family])
    return context


def case_study_context(page, request):
    """At a glance, outcomes, contacts and related items for one case study."""
    hub_urls = hub_urls_by_theme(request)
    themes = list(page.themes.prefetch_related("children"))
    theme_ids = [theme.pk for theme in themes]
    related_case_studies = list(
        public(CaseStudyPage, request)
        .filter(themes__in=theme_ids)
        .exclude(pk=page.pk)
        .distinct()
        .order_by("title")[:RELATED_LIMIT]
    )
    return {
        "areas": area_links(page.areas.select_related("page"), request),
        "themes": theme_links(themes, hub_urls),
        "interventions": [
            {"intervention": intervention, "url": search_url(intervention=intervention.slug)}
            for intervention in page.interventions.all()
        ],
        "organisations": list(page.organisations.all()),
        "outcomes": list(page.outcomes.all()),
        "contacts": list(page.contacts.all()),
        # By ids, not a join: in preview the draft's choices live only in memory.
        "related_resources": list(
            public(ResourcePage, request)
            .filter(pk__in=[resource.pk for resource in page.related_resources.all()])
            .order_by("title")
        ),
        "related_case_studies": related_case_studies,
    }


def resource_context(page, request):
    """How to obtain it, who it is for, and where it is used."""
    hub_urls = hub_urls_by_theme(request)
    themes = list(page.themes.prefetch_related("children"))
    return {
        "themes": theme_links(themes, hub_urls),
        "interventions": list(page.interventions.all()),
        "used_by": list(
            public(CaseStudyPage, request).filter(related_resources=page).order_by("title")
        ),
        "related_resources": list(
            public(ResourcePage, request)
            .filter(themes__in=[theme.pk for theme in themes])
            .exclude(pk=page.pk)
            .distinct()
            .order_by("title")[:RELATED_LIMIT]
        ),
    }


def area_context(page, request):
    """The area's case studies, the themes they cover plus the core ones, and what those hold."""
    area = page.area
    case_studies = list(
        public(CaseStudyPage, request)
        .filter(areas=area)
        .prefetch_related("themes")
        .order_by("title")
    )
    theme_ids = {theme.pk for study in case_studies for theme in study.themes.all()}
    hub_themes = list(
        Theme.objects.filter(Q(pk__in=theme_ids) | Q(is_core=True)).prefetch_related("children")
    )
    hub_theme_ids = {theme.pk for theme in hub_themes}
    return {
        "case_studies": case_studies,
        "hub_theme_links": theme_links(hub_themes, hub_urls_by_theme(request)),
        "core_theme_count": sum(1 for theme in hub_themes if theme.is_core),
        "evidence": sorted(
            (hub for hub in evidence_pages(request) if hub.theme_id in hub_theme_ids),
            key=lambda hub: hub.title,
        ),
        "resources": list(
            public(ResourcePage, request)
            .filter(themes__in=hub_theme_ids)
            .distinct()
            .select_related("publisher")
            .order_by("title")
        ),
        "news": list(public(NewsPage, request).filter(areas=area).order_by("-date", "title")),
        "area_search_url": search_url(area=area.slug),
    }


def news_context(page, request):
    hub_urls = hub_urls_by_theme(request)
    return {
        "themes": theme_links(list(page.themes.prefetch_related("children")), hub_urls),
        "areas": area_links(page.areas.select_related("page"), request),
        "quotes": list(page.quotes.all()),
    }


def area_index_context(page, request):
    """The index's area pages, split into annex and other areas, each with its case studies."""
    counts = defaultdict(int)
    for area_id in CaseStudyPage.areas.through.objects.filter(
        casestudypage__in=public(CaseStudyPage, request)
    ).values_list("area_id", flat=True):
        counts[area_id] += 1
    rows = [
        {"page": area_page, "case_study_count": counts[area_page.area_id]}
        for area_page in page.listing_queryset()
    ]
    return {
        "annex_rows": [row for row in rows if row["page"].area.is_annex_area],
        "other_rows": [row for row in rows if not row["page"].area.is_annex_area],
    }

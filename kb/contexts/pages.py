"""What each page type's template gets beyond its own fields, in a fixed, small number of queries.

Each function is registered for its page model (`registry.context_for`) and called from the
page's get_context(). Every function does a bounded number of queries whatever the amount of
content (tests hold each page type to at most 20), and links are resolved with the request so
Wagtail reuses its cached site root paths.
"""

from collections import defaultdict

from django.db.models import Q

from kb import charts
from kb.models.pages import (
    AreaIndexPage,
    AreaPage,
    CaseStudyPage,
    EvidenceSummaryPage,
    GlossaryPage,
    HomePage,
    IndexPage,
    NewsPage,
    ResourcePage,
)
from kb.models.taxonomy import GlossaryTerm, Intervention, Theme, confirmed_only

from .links import (
    SEARCH_ROUTE,
    area_links,
    evidence_pages,
    hub_urls_by_theme,
    national_picture,
    query_string,
    theme_links,
    theme_search_query,
    theme_url,
    url_with_query,
)
from .navigation import section_url
from .registry import context_for
from .visibility import public

LATEST_CASE_STUDIES = 4
RELATED_LIMIT = 4


@context_for(HomePage)
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
                "case_studies_url": url_with_query(
                    SEARCH_ROUTE, intervention=intervention.slug, type="case_study"
                ),
            }
        )
    chart = charts.intervention_contribution_chart(interventions)
    return {"rows": rows, "chart": chart}


@context_for(EvidenceSummaryPage)
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
    context["theme_search_query"] = theme_search_query(theme)
    return context


def publishable_contacts(page):
    """Contacts the public may see: a person's details only with their agreement. The 2010
    report's contacts were published there."""
    return [c for c in page.contacts.all() if page.from_report or not c.needs_consent()]


@context_for(CaseStudyPage)
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
            {
                "intervention": intervention,
                "url": url_with_query(SEARCH_ROUTE, intervention=intervention.slug),
            }
            for intervention in page.interventions.all()
        ],
        "organisations": confirmed_only(page.organisations.all()),
        "outcomes": list(page.outcomes.all()),
        "contacts": publishable_contacts(page),
        # By ids, not a join: in preview the draft's choices live only in memory.
        "related_resources": list(
            public(ResourcePage, request)
            .filter(pk__in=[resource.pk for resource in page.related_resources.all()])
            .order_by("title")
        ),
        "related_case_studies": related_case_studies,
    }


@context_for(ResourcePage)
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


@context_for(AreaPage)
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
        "area_search_query": query_string(area=area.slug),
    }


@context_for(NewsPage)
def news_context(page, request):
    hub_urls = hub_urls_by_theme(request)
    return {
        "themes": theme_links(list(page.themes.prefetch_related("children")), hub_urls),
        "areas": area_links(page.areas.select_related("page"), request),
        "quotes": list(page.quotes.all()),
    }


@context_for(AreaIndexPage)
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


@context_for(IndexPage)
def index_context(page, request):
    """A section index lists its live children (`listing_queryset`) as `children`."""
    return {"children": list(page.listing_queryset())}


@context_for(GlossaryPage)
def glossary_context(page, request):
    return {"terms": GlossaryTerm.objects.all()}

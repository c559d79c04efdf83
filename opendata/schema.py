"""What each download holds: one list of columns per file, each with what it means.

This is the one statement of the schema: the exporter writes these columns, the /data/ page
lists them, and `docs/open-data.md` points here. Only what a public page already shows is
exported, and not all of that: contacts' names, emails and phones, review owners and review
dates are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb.models import AreaPage, CaseStudyPage, EvidenceSummaryPage, NewsPage, ResourcePage
from kb.models.taxonomy import confirmed_only

# The two files that are not one CSV per page type.
JSONL = "pages.jsonl"
RECOMMENDATIONS_CSV = "recommendations.csv"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable  # page (or row) -> str, number, list or None


def names(relation):
    return lambda page: [item.name for item in confirmed_only(getattr(page, relation).all())]


def slugs(relation):
    return lambda page: [item.slug for item in confirmed_only(getattr(page, relation).all())]


def iso(moment):
    return moment.isoformat() if moment else None


COMMON = [
    Column("id", "The page's number on this site; stable.", lambda p: p.pk),
    Column(
        "type", "case_study, resource, evidence_summary, news or area.", lambda p: p.open_data_type
    ),
    Column("title", "The page title.", lambda p: p.title),
    Column("url", "The page's address on this site.", lambda p: p.open_data_url),
    Column("summary", "One to three sentences on what it is.", lambda p: getattr(p, "summary", "")),
    Column(
        "first_published",
        "When it was first published here (ISO 8601).",
        lambda p: iso(p.first_published_at),
    ),
    Column(
        "last_published",
        "When it was last published here (ISO 8601).",
        lambda p: iso(p.last_published_at),
    ),
    Column(
        "from_report",
        "true when the content comes from the 2010 report (Crown copyright).",
        lambda p: getattr(p, "from_report", False),
    ),
    Column(
        "source",
        "Where the information comes from, if published elsewhere.",
        lambda p: getattr(p, "source_reference", ""),
    ),
]

THEMES = [
    Column("themes", "Theme names.", names("themes")),
    Column("theme_slugs", "Theme slugs (as in /search/?theme=).", slugs("themes")),
]
AREAS = [
    Column("areas", "Local authority area names.", names("areas")),
    Column("area_slugs", "Area slugs (as in /search/?area=).", slugs("areas")),
]
INTERVENTIONS = [
    Column("interventions", "Intervention names.", names("interventions")),
    Column("intervention_slugs", "Intervention slugs.", slugs("interventions")),
]

TYPES = {
    "case_study": (
        CaseStudyPage,
        "case-studies.csv",
        "Case studies of local practice.",
        COMMON
        + THEMES
        + AREAS
        + INTERVENTIONS
        + [
            Column("organisations", "Organisations involved.", names("organisations")),
            Column("aims", "What the project set out to change.", lambda p: p.aims),
            Column("what_was_done", "What the team did.", lambda p: p.what_was_done),
            Column(
                "evaluation_status",
                "How far the results were checked.",
                lambda p: p.get_evaluation_status_display(),
            ),
            Column("evaluation", "How the results were measured.", lambda p: p.evaluation),
            Column("started", "When it started, as written.", lambda p: p.started),
            Column("start_year", "The year it started.", lambda p: p.start_year),
            Column("awards", "Awards, one a line.", lambda p: p.awards),
            Column(
                "outcomes",
                "Outcome figures: measure, value, unit, period and note, one per line.",
                lambda p: [
                    " | ".join(
                        str(x)
                        for x in (o.measure, o.value, o.unit, o.period, o.note)
                        if x not in (None, "")
                    )
                    for o in p.outcomes.all()
                ],
            ),
        ],
    ),
    "resource": (
        ResourcePage,
        "resources.csv",
        "Resources: leaflets, tools, guidance and training.",
        COMMON
        + THEMES
        + INTERVENTIONS
        + [
            Column(
                "publisher", "Who published it.", lambda p: p.publisher.name if p.publisher else ""
            ),
            Column(
                "resource_type", "The kind of resource.", lambda p: p.get_resource_type_display()
            ),
            Column("year", "Year published.", lambda p: p.year),
            Column(
                "url_as_published",
                "Its web address as published (may no longer work).",
                lambda p: p.url_as_published,
            ),
            Column("order_code", "Code to order it.", lambda p: p.order_code),
            Column("how_to_obtain", "How to get it.", lambda p: p.how_to_obtain),
            Column("languages", "Languages it is available in.", lambda p: p.languages),
            Column("audience", "Who it is for.", lambda p: p.audience),
        ],
    ),
    "evidence_summary": (
        EvidenceSummaryPage,
        "evidence-summaries.csv",
        "Evidence summaries: one per theme of the 2010 report.",
        COMMON
        + INTERVENTIONS
        + [
            Column("theme", "The theme it summarises.", lambda p: p.theme.name if p.theme else ""),
            Column("theme_slug", "That theme's slug.", lambda p: p.theme.slug if p.theme else ""),
            Column("background", "Background.", lambda p: p.background),
            Column("key_messages", "Key messages.", lambda p: p.key_messages),
            Column("references", "References, one a line.", lambda p: p.references),
            Column(
                "table_number",
                "The report's table number for its recommendations.",
                lambda p: p.table_number,
            ),
            Column("table_title", "That table's title.", lambda p: p.table_title),
        ],
    ),
    "news": (
        NewsPage,
        "news.csv",
        "News reports.",
        COMMON
        + THEMES
        + AREAS
        + [
            Column("date", "Publication date.", lambda p: p.date.isoformat() if p.date else None),
            Column("publication", "Where it was published.", lambda p: p.publication),
            Column("body", "The text.", lambda p: p.body),
        ],
    ),
    "area": (
        AreaPage,
        "areas.csv",
        "Local authority area pages.",
        [c for c in COMMON if c.name not in ("summary", "from_report", "source")]
        + [
            Column("area", "The area's name.", lambda p: p.area.name),
            Column("area_slug", "The area's slug.", lambda p: p.area.slug),
            Column("intro", "The introduction.", lambda p: p.intro),
        ],
    ),
}

RECOMMENDATIONS = [
    Column(
        "evidence_id",
        "The evidence summary's id (pages.jsonl, evidence-summaries.csv).",
        lambda r: r.page_id,
    ),
    Column("evidence_title", "The evidence summary's title.", lambda r: r.page.title),
    Column("theme_slug", "The theme's slug.", lambda r: r.page.theme.slug if r.page.theme else ""),
    Column("table_number", "The report's table number.", lambda r: r.page.table_number),
    Column("table_title", "The report's table title.", lambda r: r.page.table_title),
    Column("row", "The row's position in the table, from 1.", lambda r: r.position),
    Column("category", "The recommendation category.", lambda r: r.category),
    Column("sub_category", "The sub-category.", lambda r: r.sub_category),
    Column("count", "How many recommendations the report counts in it.", lambda r: r.count),
    Column("share", "Its share of the table's recommendations, as printed.", lambda r: r.share),
]

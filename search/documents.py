"""The one flat search document, built from a published page in one place.

Both engines index exactly this dict, so what a practitioner can find never depends on the engine.
Every facet field holds a list of {"value": slug, "label": text} so engines can count by slug and
show the label without another database query.
"""

from wagtail.models import Page

from kb.contexts.visibility import public
from kb.models import (
    AreaPage,
    CaseStudyPage,
    EvidenceSummaryPage,
    NewsPage,
    ResourcePage,
    Theme,
)

TYPE_KEYS = {
    CaseStudyPage: "case_study",
    ResourcePage: "resource",
    EvidenceSummaryPage: "evidence_summary",
    AreaPage: "area",
    NewsPage: "news",
}
# The labels users see ("Case study", …) are each page model's own `type_label`.
TYPE_LABELS = {key: model.type_label for model, key in TYPE_KEYS.items()}
SEARCHABLE_MODELS = tuple(TYPE_KEYS)


def _term(value, label):
    return {"value": value, "label": label}


def _taxonomy(items):
    return [_term(item.slug, item.name) for item in items]


def _paragraphs(*texts):
    return "\n\n".join(text for text in texts if text)


def _lines(*texts):
    return "\n".join(text for text in texts if text)


# Text a page shows that its search document deliberately leaves out, field by field (by model
# name; "*" for every page type), with why. tests/search/test_documents.py fails when a text
# field of a page type or of its inline rows is neither in the page's document nor listed here.
# Wagtail's own page fields other than the title (slug, SEO title, ...) are not content.
LEFT_OUT = {
    "*": {
        "source_reference": "where in the 2010 report a page came from, shown in small print",
    },
    "CaseStudyContact": {
        "email": "an address to write to, not words a practitioner searches for",
        "phone": "a number to ring, not words a practitioner searches for",
    },
    "ResourcePage": {
        "url_as_published": "a 2010 web address shown as printed, not content",
        "phone": "a number to ring to order, not content",
    },
    "KeyStatistic": {
        "unit": "part of a figure; figures are shown, not searched",
        "group": "a chart series label (e.g. England) repeating the measure",
        "chart": "an internal chart key, never shown",
    },
    "CaseStudyOutcome": {"unit": "part of a figure; figures are shown, not searched"},
}


def recommendation_anchor(position: int) -> str:
    """The id of the `position`-th (1-based) recommendation row on its evidence page; the
    evidence template gives each row this id, and search links a matching row to it."""
    return f"recommendation-{position}"


def recommendation_text(row) -> str:
    """A recommendation row as the page shows it: its sub-category under its category."""
    return f"{row.category}: {row.sub_category}" if row.sub_category else row.category


def _rows(page) -> list[dict]:
    return [
        {"anchor": recommendation_anchor(position), "text": recommendation_text(row)}
        for position, row in enumerate(page.recommendation_rows.all(), start=1)
    ]


def _contact_text(contact) -> str:
    return " ".join(part for part in (contact.name, contact.role, contact.organisation) if part)


def _outcome_text(outcome) -> str:
    return " ".join(part for part in (outcome.measure, outcome.period, outcome.note) if part)


def _statistic_text(stat) -> str:
    return " ".join(part for part in (stat.measure, stat.period, stat.source) if part)


def _quote_text(quote) -> str:
    return " ".join(part for part in (quote.text, quote.person, quote.role) if part)


def searchable_pages(ids=None):
    """Every live, public page that belongs in the index (or those of `ids` that do), specific,
    with everything build_document reads prefetched: one query per relation, not per page."""
    for model in SEARCHABLE_MODELS:
        queryset = public(model)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        yield from _with_relations(model, queryset)


def all_documents():
    """The documents every published page produces now (what a full rebuild indexes)."""
    for page in searchable_pages():
        yield build_document(page)


def current_documents(page_ids) -> tuple[list[dict], list[int]]:
    """What the index should hold for these pages now: documents to index, ids to delete."""
    page_ids = {int(page_id) for page_id in page_ids}
    documents = [build_document(page) for page in searchable_pages(page_ids)]
    gone = sorted(page_ids - {document["id"] for document in documents})
    return documents, gone


def _with_relations(model, queryset):
    if model is CaseStudyPage:
        return queryset.prefetch_related(
            "themes__parent", "areas", "interventions", "organisations", "outcomes", "contacts"
        )
    if model is ResourcePage:
        return queryset.select_related("publisher").prefetch_related(
            "themes__parent", "interventions"
        )
    if model is EvidenceSummaryPage:
        return queryset.select_related("theme__parent").prefetch_related(
            "interventions", "key_statistics", "recommendation_rows"
        )
    if model is NewsPage:
        return queryset.prefetch_related("themes__parent", "areas", "quotes")
    if model is AreaPage:
        return queryset.select_related("area")
    return queryset


def new_document(doc_id, title, type_key, **fields) -> dict:
    """The document's full shape with empty facets; every builder (pages, tests, benchmarks)
    starts here, so the shape is defined once."""
    document = {
        "id": doc_id,
        "title": title,
        "summary": "",
        "body": "",
        "type": [_term(type_key, TYPE_LABELS[type_key])],
        "themes": [],
        "areas": [],
        "regions": [],
        "interventions": [],
        "publisher": [],
        "resource_type": [],
        "evaluation_status": [],
        "year": None,
        "url": "",
        "date": None,
        "first_published_at": None,
        "last_published_at": None,
        # Recommendation rows of an evidence page, each {"anchor", "text"}: their words are in
        # `body` too; engines use these to link a result that matched a row to that row.
        "rows": [],
    }
    unknown = set(fields) - set(document)
    if unknown:
        raise KeyError(f"not search document fields: {', '.join(sorted(unknown))}")
    document.update(fields)
    return document


def build_document(page: Page) -> dict:
    """Flatten one published page (its `.specific`) into the search document."""
    page = page.specific
    doc = new_document(
        page.pk,
        page.title,
        TYPE_KEYS[type(page)],
        summary=getattr(page, "summary", "") or "",
        url=page.url,
        first_published_at=_iso(page.first_published_at),
        last_published_at=_iso(page.last_published_at),
    )
    if isinstance(page, CaseStudyPage):
        areas = list(page.areas.all())
        doc.update(
            body=_paragraphs(
                page.aims,
                page.what_was_done,
                _lines(*(_outcome_text(o) for o in page.outcomes.all())),
                page.evaluation,
                page.started,
                page.awards,
                " ".join(org.name for org in page.organisations.all()),
                _lines(*(_contact_text(c) for c in page.contacts.all())),
            ),
            themes=_taxonomy(Theme.with_parents(page.themes.all())),
            areas=_taxonomy(areas),
            regions=sorted({area.region for area in areas if area.region}),
            interventions=_taxonomy(page.interventions.all()),
            evaluation_status=[_term(page.evaluation_status, page.get_evaluation_status_display())],
            year=page.start_year,
        )
    elif isinstance(page, ResourcePage):
        doc.update(
            body=_paragraphs(page.audience, page.how_to_obtain, page.languages, page.order_code),
            themes=_taxonomy(Theme.with_parents(page.themes.all())),
            interventions=_taxonomy(page.interventions.all()),
            publisher=[_term(page.publisher.slug, page.publisher.label)] if page.publisher else [],
            resource_type=[_term(page.resource_type, page.get_resource_type_display())],
            year=page.year,
        )
    elif isinstance(page, EvidenceSummaryPage):
        theme = page.theme
        rows = _rows(page)
        doc.update(
            body=_paragraphs(
                page.key_messages,
                page.background,
                _lines(*(_statistic_text(stat) for stat in page.key_statistics.all())),
                page.table_title,
                # Each row as its cell shows it: a category once, then its sub-categories.
                _lines(*(r.sub_category or r.category for r in page.recommendation_rows.all())),
                page.references,
            ),
            rows=rows,
            themes=_taxonomy(Theme.with_parents([theme])) if theme else [],
            interventions=_taxonomy(page.interventions.all()),
        )
    elif isinstance(page, AreaPage):
        area = page.area
        doc.update(
            summary=page.intro or f"{area.name}: {area.get_kind_display()}",
            areas=[_term(area.slug, area.name)],
            regions=[area.region] if area.region else [],
        )
    elif isinstance(page, NewsPage):
        areas = list(page.areas.all())
        doc.update(
            body=_paragraphs(
                page.publication, page.body, _lines(*(_quote_text(q) for q in page.quotes.all()))
            ),
            themes=_taxonomy(Theme.with_parents(page.themes.all())),
            areas=_taxonomy(areas),
            regions=sorted({area.region for area in areas if area.region}),
            year=page.date.year if page.date else None,
            date=page.date.isoformat() if page.date else None,
        )
    return doc


def _iso(value):
    return value.isoformat() if value else None

"""The one flat search document, built from a published page in one place.

Both engines index exactly this dict, so what a practitioner can find never depends on the engine.
Every facet field holds a list of {"value": slug, "label": text} so engines can count by slug and
show the label without another database query.
"""

from wagtail.models import Page
from wagtail.search import index

from kb.contexts.visibility import public
from kb.models.searchable import paragraphs, searchable_page_types, term
from kb.models.taxonomy import confirmed_only
from search.facets import FACETS

# Every page type that declares `searchable` (kb.models.searchable), in definition order.
SEARCHABLE_MODELS = tuple(searchable_page_types())
TYPE_KEYS = {model: model.searchable.type_key for model in SEARCHABLE_MODELS}
# The labels users see ("Case study", …) are each page model's own `type_label`.
TYPE_LABELS = {key: model.type_label for model, key in TYPE_KEYS.items()}


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
    declared = model.searchable
    if declared.select_related:
        queryset = queryset.select_related(*declared.select_related)
    if declared.prefetch_related:
        queryset = queryset.prefetch_related(*declared.prefetch_related)
    return queryset


def new_document(doc_id, title, type_key, **fields) -> dict:
    """The document's full shape with empty facets; every builder (pages, tests, benchmarks)
    starts here, so the shape is defined once."""
    document = {
        "id": doc_id,
        "title": title,
        "summary": "",
        "body": "",
        **{facet.field: [] for facet in FACETS},
        "type": [term(type_key, TYPE_LABELS[type_key])],
        "regions": [],  # the areas' regions: searched with the facet labels, not a facet
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
    fields = {
        "summary": getattr(page, "summary", "") or "",
        "url": page.url,
        "first_published_at": _iso(page.first_published_at),
        "last_published_at": _iso(page.last_published_at),
    }
    fields.update(page.document_fields() if hasattr(page, "document_fields") else declared(page))
    return new_document(page.pk, page.title, TYPE_KEYS[type(page)], **fields)


def declared(page) -> dict:
    """The document of a page type that does not write its own `document_fields()`: its
    Wagtail `search_fields` (beyond title and summary) as the body, and the facets it has."""
    own = [
        field.field_name
        for field in page.search_fields
        if isinstance(field, index.SearchField) and field.field_name not in ("title", "summary")
    ]
    fields = {"body": paragraphs(*(str(getattr(page, name) or "") for name in own))}
    for facet in FACETS:
        if facet.page_field and hasattr(page, facet.page_field):
            fields[facet.field] = facet_terms(getattr(page, facet.page_field))
    return fields


def facet_terms(value) -> list[dict]:
    """A page's taxonomy field (many-to-many or foreign key) as facet values; themes count
    under their parents too (`with_parents`), as on every other page type."""
    if hasattr(value, "all"):
        items = confirmed_only(value.all())
        with_parents = getattr(value.model, "with_parents", None)
        if with_parents is not None:
            items = with_parents(items)
    else:
        items = confirmed_only([value] if value else [])
    return [term(item.slug, getattr(item, "label", "") or item.name) for item in items]


def _iso(value):
    return value.isoformat() if value else None

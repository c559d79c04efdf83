"""Keeping the index in step with published pages. Signal handlers and commands call these.

Everything goes through `get_engine()`, so whichever engine is configured is the one kept fresh.
"""

from __future__ import annotations

import logging

from wagtail.models import Page

from search.documents import (
    SEARCHABLE_MODELS,
    build_document,
    is_searchable,
    searchable_pages,
)
from search.engines import get_engine

logger = logging.getLogger(__name__)


def all_documents():
    for page in searchable_pages():
        yield build_document(page)


def is_indexable(page) -> bool:
    """Published, public and of a searchable type (the index holds exactly these pages)."""
    page = page.specific
    if not is_searchable(page) or not page.live:
        return False
    return type(page).objects.filter(pk=page.pk).live().public().exists()


def sync_pages(pages, engine=None) -> tuple[int, int]:
    """Index each page that should be found and remove each one that should not."""
    engine = engine or get_engine()
    documents, gone = [], []
    for page in pages:
        page = page.specific
        if is_indexable(page):
            documents.append(build_document(page))
        else:
            gone.append(page.pk)
    if documents:
        engine.index_documents(documents)
    if gone:
        engine.delete(gone)
    return len(documents), len(gone)


def sync_page_ids(page_ids, engine=None):
    page_ids = list(page_ids)
    pages = Page.objects.filter(pk__in=page_ids).specific()
    found = {page.pk for page in pages}
    engine = engine or get_engine()
    sync_pages(pages, engine)
    missing = [pk for pk in page_ids if pk not in found]
    if missing:
        engine.delete(missing)


def pages_using(instance) -> list[int]:
    """Ids of searchable pages tagged with this theme, area, intervention or organisation."""
    from kb.models import (
        Area,
        AreaPage,
        CaseStudyPage,
        EvidenceSummaryPage,
        Intervention,
        NewsPage,
        Organisation,
        ResourcePage,
        Theme,
    )

    querysets = []
    if isinstance(instance, Theme):
        querysets = [
            CaseStudyPage.objects.filter(themes=instance),
            ResourcePage.objects.filter(themes=instance),
            NewsPage.objects.filter(themes=instance),
            EvidenceSummaryPage.objects.filter(theme=instance),
        ]
    elif isinstance(instance, Area):
        querysets = [
            CaseStudyPage.objects.filter(areas=instance),
            NewsPage.objects.filter(areas=instance),
            AreaPage.objects.filter(area=instance),
        ]
    elif isinstance(instance, Intervention):
        querysets = [
            CaseStudyPage.objects.filter(interventions=instance),
            ResourcePage.objects.filter(interventions=instance),
            EvidenceSummaryPage.objects.filter(interventions=instance),
        ]
    elif isinstance(instance, Organisation):
        querysets = [
            CaseStudyPage.objects.filter(organisations=instance),
            ResourcePage.objects.filter(publisher=instance),
        ]
    ids = set()
    for queryset in querysets:
        ids.update(queryset.values_list("pk", flat=True))
    return sorted(ids)


def searchable_descendant_ids(page) -> list[int]:
    """The page and its descendants that can be in the index (a move changes all their URLs)."""
    ids = []
    for model in SEARCHABLE_MODELS:
        ids.extend(model.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return ids

"""Keeping the index in step with published pages. Signal handlers and commands call these.

Everything goes through `get_engine()`, so whichever engine is configured is the one kept fresh.
"""

from __future__ import annotations

import logging

from django.db.models import Q

from search.documents import SEARCHABLE_MODELS, current_documents
from search.engines import get_engine

logger = logging.getLogger(__name__)


def sync_page_ids(page_ids, engine=None) -> tuple[int, int]:
    """Index those of these pages that should be found; remove the rest from the index."""
    documents, gone = current_documents(page_ids)
    engine = engine or get_engine()
    if documents:
        engine.index_documents(documents)
    if gone:
        engine.delete(gone)
    return len(documents), len(gone)


def pages_using(instance) -> list[int]:
    """Ids of searchable pages tagged with this theme (or one under it), area, intervention or
    organisation."""
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
        # A page counts under its themes' parents too (Theme.with_parents).
        family = Theme.objects.filter(Q(pk=instance.pk) | Q(parent=instance))
        querysets = [
            CaseStudyPage.objects.filter(themes__in=family),
            ResourcePage.objects.filter(themes__in=family),
            NewsPage.objects.filter(themes__in=family),
            EvidenceSummaryPage.objects.filter(theme__in=family),
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

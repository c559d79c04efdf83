"""Keeping the index in step with published pages. Signal handlers and commands call these.

Everything goes through `get_engine()`, so whichever engine is configured is the one kept fresh.
"""

from __future__ import annotations

import logging

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
    """Ids of searchable pages whose documents show this taxonomy item: each page type declares
    which taxonomy models it reaches and through which field (`Searchable.stale_when`).

    A theme counts with the themes under it (`Theme.family`): a page counts under its themes'
    parents too (`Theme.with_parents`).
    """
    label = instance._meta.label
    related = instance.family() if hasattr(instance, "family") else [instance]
    ids = set()
    for model in SEARCHABLE_MODELS:
        lookup = model.searchable.stale_when.get(label)
        if lookup:
            pages = model.objects.filter(**{f"{lookup}__in": related})
            ids.update(pages.values_list("pk", flat=True))
    return sorted(ids)


def searchable_descendant_ids(page) -> list[int]:
    """The page and its descendants that can be in the index (a move changes all their URLs)."""
    ids = []
    for model in SEARCHABLE_MODELS:
        ids.extend(model.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return ids

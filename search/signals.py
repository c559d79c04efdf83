"""Index maintenance on Wagtail's page signals, view restrictions and taxonomy changes.

Wagtail's own post-save indexing runs before modelcluster has saved many-to-many relations, so
a page's new themes would be missed; `page_published` fires after they are saved. Updates run on
transaction commit, so a rolled-back publish never reaches the index. A failing index update is
logged and never breaks publishing (`manage.py search_index check` reports the drift).
"""

from __future__ import annotations

import logging
import threading

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from kb.models import GlossaryTerm
from search import indexing, synonyms
from search.documents import SEARCHABLE_MODELS

logger = logging.getLogger(__name__)


def _safely(action, description):
    def run():
        try:
            action()
        except Exception:
            logger.exception("search index update failed: %s", description)

    transaction.on_commit(run)


_pending = threading.local()


def _remove_on_commit(page_ids):
    """Remove pages from the index once, when the transaction commits.

    Unpublishing then deleting a page (as the admin does), or deleting a section with its
    descendants, sends one signal per page and per step; they share one engine call. The batch
    belongs to the connection's current list of commit hooks, which Django replaces on every
    commit and rollback, so a rolled-back transaction's removals die with it.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        ids = sorted(page_ids)
        _safely(lambda: indexing.get_engine().delete(ids), f"remove pages {ids}")
        return
    hooks = connection.run_on_commit
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.hooks is not hooks or batch.flushed:
        batch = _pending.batch = _RemovalBatch(hooks)
        _safely(batch.flush, "remove pages")
    batch.ids.update(page_ids)


class _RemovalBatch:
    def __init__(self, hooks):
        self.hooks = hooks
        self.ids: set[int] = set()
        self.flushed = False

    def flush(self):
        self.flushed = True
        indexing.get_engine().delete(sorted(self.ids))


def on_page_published(sender, instance, **kwargs):
    page = instance.specific
    _safely(lambda: indexing.sync_page_ids([page.pk]), f"publish page {page.pk}")


def on_page_unpublished(sender, instance, **kwargs):
    _remove_on_commit([instance.pk])


def on_page_deleted(sender, instance, **kwargs):
    _remove_on_commit([instance.pk])


def on_pre_page_move(sender, instance, **kwargs):
    """Remember what moves: the page and everything under it get new URLs."""
    instance._search_moving_ids = indexing.searchable_descendant_ids(instance)


def on_post_page_move(sender, instance, **kwargs):
    ids = getattr(instance, "_search_moving_ids", None)
    if ids is None:
        ids = indexing.searchable_descendant_ids(instance)
    _safely(lambda: indexing.sync_page_ids(ids), f"move page {instance.pk}")


def on_view_restriction_changed(sender, instance, **kwargs):
    """A restriction added, changed or removed: the page and everything under it.

    Only public pages are indexed (`searchable_pages` uses `.public()`), so re-syncing the
    section removes restricted pages and puts back those no restriction covers any more.
    """
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted; its own signal removes it
        return
    ids = indexing.searchable_descendant_ids(page)
    if ids:
        _safely(lambda: indexing.sync_page_ids(ids), f"view restriction on page {page.pk}")


DEFAULT_LABEL_FIELDS = ("name", "slug")


def label_fields(model) -> tuple[str, ...]:
    """What search documents show of a taxonomy model; saving anything else needs no reindex."""
    return getattr(model, "document_label_fields", DEFAULT_LABEL_FIELDS)


def _indexed_values(model, instance):
    return tuple(getattr(instance, name) for name in label_fields(model))


def taxonomy_models() -> list[type]:
    """Every model a searchable page type's documents show labels of (`Searchable.stale_when`)."""
    labels = dict.fromkeys(
        label for model in SEARCHABLE_MODELS for label in model.searchable.stale_when
    )
    return [apps.get_model(label) for label in labels]


def on_taxonomy_pre_save(sender, instance, **kwargs):
    fields = label_fields(sender)
    stored = sender.objects.filter(pk=instance.pk).values_list(*fields).first()
    instance._search_labels_changed = stored is not None and stored != _indexed_values(
        sender, instance
    )


def on_taxonomy_saved(sender, instance, created, **kwargs):
    if created or not getattr(instance, "_search_labels_changed", True):
        return  # nothing is tagged with a new one yet; an unchanged label changes no document
    ids = indexing.pages_using(instance)
    if ids:
        _safely(lambda: indexing.sync_page_ids(ids), f"rename {sender.__name__} {instance.pk}")


def on_taxonomy_pre_delete(sender, instance, **kwargs):
    instance._search_tagged_ids = indexing.pages_using(instance)


def on_taxonomy_deleted(sender, instance, **kwargs):
    ids = getattr(instance, "_search_tagged_ids", [])
    if ids:
        _safely(lambda: indexing.sync_page_ids(ids), f"delete {sender.__name__} {instance.pk}")


def connect():
    page_published.connect(on_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search-page-unpublished")
    # sender=Page: one signal per deleted page, not one per table of its model's inheritance.
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search-page-deleted")
    pre_page_move.connect(on_pre_page_move, dispatch_uid="search-pre-page-move")
    post_page_move.connect(on_post_page_move, dispatch_uid="search-post-page-move")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-view-restriction-{signal is post_save}",
        )
    for model in taxonomy_models():
        uid = f"search-{model.__name__}"
        pre_save.connect(on_taxonomy_pre_save, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(on_taxonomy_saved, sender=model, dispatch_uid=f"{uid}-saved")
        pre_delete.connect(on_taxonomy_pre_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(on_taxonomy_deleted, sender=model, dispatch_uid=f"{uid}-deleted")
    post_save.connect(synonyms.invalidate, sender=GlossaryTerm, dispatch_uid="search-glossary")
    post_delete.connect(synonyms.invalidate, sender=GlossaryTerm, dispatch_uid="search-glossary-d")

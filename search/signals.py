"""Index maintenance on Wagtail's page signals and taxonomy changes.

Wagtail's own post-save indexing runs before modelcluster has saved many-to-many relations, so
a page's new themes would be missed; `page_published` fires after they are saved. Updates run on
transaction commit, so a rolled-back publish never reaches the index. A failing index update is
logged and never breaks publishing (`manage.py search_index check` reports the drift).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from search import indexing, synonyms

logger = logging.getLogger(__name__)


def _safely(action, description):
    def run():
        try:
            action()
        except Exception:
            logger.exception("search index update failed: %s", description)

    transaction.on_commit(run)


def on_page_published(sender, instance, **kwargs):
    page = instance.specific
    _safely(lambda: indexing.sync_page_ids([page.pk]), f"publish page {page.pk}")


def on_page_unpublished(sender, instance, **kwargs):
    page_id = instance.pk
    _safely(lambda: indexing.get_engine().delete([page_id]), f"unpublish page {page_id}")


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_id = instance.pk
        _safely(lambda: indexing.get_engine().delete([page_id]), f"delete page {page_id}")


def on_pre_page_move(sender, instance, **kwargs):
    """Remember what moves: the page and everything under it get new URLs."""
    instance._search_moving_ids = indexing.searchable_descendant_ids(instance)


def on_post_page_move(sender, instance, **kwargs):
    ids = getattr(instance, "_search_moving_ids", None)
    if ids is None:
        ids = indexing.searchable_descendant_ids(instance)
    _safely(lambda: indexing.sync_page_ids(ids), f"move page {instance.pk}")


def on_taxonomy_saved(sender, instance, created, **kwargs):
    if created:
        return  # nothing is tagged with it yet
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
    from kb.models import Area, GlossaryTerm, Intervention, Organisation, Theme

    page_published.connect(on_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search-page-unpublished")
    post_delete.connect(on_page_deleted, dispatch_uid="search-page-deleted")
    pre_page_move.connect(on_pre_page_move, dispatch_uid="search-pre-page-move")
    post_page_move.connect(on_post_page_move, dispatch_uid="search-post-page-move")
    for model in (Theme, Area, Intervention, Organisation):
        uid = f"search-{model.__name__}"
        post_save.connect(on_taxonomy_saved, sender=model, dispatch_uid=f"{uid}-saved")
        pre_delete.connect(on_taxonomy_pre_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(on_taxonomy_deleted, sender=model, dispatch_uid=f"{uid}-deleted")
    post_save.connect(synonyms.invalidate, sender=GlossaryTerm, dispatch_uid="search-glossary")
    post_delete.connect(synonyms.invalidate, sender=GlossaryTerm, dispatch_uid="search-glossary-d")

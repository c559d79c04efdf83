"""Rendered public pages, kept for anonymous readers until anything in the database changes.

A case study costs about 20 queries to route, check and render; from this cache it costs one
(the generation). The rule is deliberately blunt, so nothing can show stale content:

- Only anonymous GET and HEAD requests with no cookies and no query string are answered from
  it, and only URLs that resolve to Wagtail's page view are looked up or stored (so probes,
  feeds, the sitemap and search never read the generation): 200 responses that set no cookie
  and that a shared proxy could cache too. Wagtail marks every response of a page under a view restriction
  (and the password form) never-cache, so no restricted page is ever stored.
- Any saved or deleted row, any many-to-many change and any page move bumps one generation
  number in the database, inside the writer's transaction, and a cached copy is only ever
  used under the generation it was rendered in. So every worker on every server sees a
  publish, an unpublish, a new view restriction or a renamed theme on its next request.
  Writes to the apps in `PAGE_CACHE_UNRELATED_APPS` (sessions, login attempts, the admin's
  editing sessions, the support team's private records) never show on a public page and bump
  nothing.
- Copies also expire after `PAGE_CACHE_SECONDS` (writes that send no signal, such as bulk
  updates, wait at most that long) and the key holds today's date (the printed-on line).

The copies live in Django's default cache (per process unless CACHES says otherwise); the
generation lives in the database, which every process shares.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from wagtail.signals import post_page_move

from kb.models import PageCacheGeneration

logger = logging.getLogger(__name__)
WAGTAIL_PAGE_VIEW = "wagtail_serve"  # the URL name of Wagtail's catch-all page view
NEVER_STORED = ("private", "no-store", "no-cache")


def current_generation() -> int | None:
    """The generation number, or None if its row is missing (then nothing is cached).

    Read on every cached page and every search page (kb.contexts.navigation), so in plain SQL:
    the ORM's query building cost 0.23 ms of CPU a call, the query itself 0.01 ms (issue 24).
    """
    table = connection.ops.quote_name(PageCacheGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")  # noqa: S608 - our own table
        row = cursor.fetchone()
    return row[0] if row else None


def _unrelated(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or getattr(sender, "__module__", "") == "__fake__":
        return True  # not a model, or a migration's historical model (no table yet, perhaps)
    if meta.label_lower == "kb.pagecachegeneration":
        return True
    return meta.app_label in settings.PAGE_CACHE_UNRELATED_APPS


def bump_generation(sender=None, **kwargs) -> None:
    # Here, not at the top: kb.contexts.navigation reads the generation from this module.
    from kb.contexts.navigation import forget_shared_sections

    if _unrelated(sender):
        return
    forget_shared_sections()  # this connection may see the change before it commits
    try:
        with transaction.atomic():  # a savepoint: a failure here never spoils the writer's work
            updated = PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1)
            if not updated:
                PageCacheGeneration.objects.create(pk=1, value=1)
    except DatabaseError:  # a read-only replica, or before migrations: nothing is cached then
        logger.warning("page cache: the generation could not be bumped")


def bump_after_many_to_many_change(sender=None, action="", **kwargs) -> None:
    """Django sends pre_* and post_* for each change; one bump each is enough."""
    if action.startswith("post_"):
        bump_generation(sender)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(bump_generation, dispatch_uid=f"kb-page-cache-{id(signal)}")
    m2m_changed.connect(bump_after_many_to_many_change, dispatch_uid="kb-page-cache-m2m")
    post_page_move.connect(bump_generation, dispatch_uid="kb-page-cache-move")


def _may_use(request) -> bool:
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and not request.COOKIES
        and not request.META.get("QUERY_STRING")
        and _is_wagtail_page(request)
    )


def _is_wagtail_page(request) -> bool:
    try:
        return resolve(request.path_info).url_name == WAGTAIL_PAGE_VIEW
    except Resolver404:
        return False


def _key(request, generation: int) -> str:
    return f"kb-page:{generation}:{timezone.localdate()}:{request.build_absolute_uri()}"


class PublicPageCacheMiddleware:
    """Answers repeat anonymous requests for public pages from the cache (see module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use(request):
            return self.get_response(request)
        generation = current_generation()
        if generation is None:
            return self.get_response(request)
        key = _key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            content_type, content = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-KB-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in response.get("Cache-Control", "") for word in NEVER_STORED)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(
                key, (response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS
            )
        return response

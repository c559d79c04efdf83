"""Rendered public pages, kept for anonymous readers until anything in the database changes.

A case study costs about 20 queries to route, check and render; from this cache it costs one
(the generation). The rule is deliberately blunt, so nothing can show stale content:

- Only anonymous GET and HEAD requests with no cookies and no query string are answered from
  it, and only Wagtail pages are stored: 200 responses that set no cookie and that a shared
  proxy could cache too. Wagtail marks every response of a page under a view restriction
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
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from wagtail.signals import post_page_move

logger = logging.getLogger(__name__)
CACHED_ATTRIBUTE = "_kb_wagtail_page"
NEVER_STORED = ("private", "no-store", "no-cache")


def _seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def current_generation() -> int | None:
    """The generation number, or None if its row is missing (then nothing is cached)."""
    from kb.models import PageCacheGeneration

    return PageCacheGeneration.objects.filter(pk=1).values_list("value", flat=True).first()


def _unrelated(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None or getattr(sender, "__module__", "") == "__fake__":
        return True  # not a model, or a migration's historical model (no table yet, perhaps)
    if meta.label_lower == "kb.pagecachegeneration":
        return True
    return meta.app_label in getattr(settings, "PAGE_CACHE_UNRELATED_APPS", ())


def bump_generation(sender=None, **kwargs) -> None:
    from kb.models import PageCacheGeneration

    if _unrelated(sender):
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here never spoils the writer's work
            updated = PageCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1)
            if not updated:
                PageCacheGeneration.objects.create(pk=1, value=1)
    except DatabaseError:  # a read-only replica, or before migrations: nothing is cached then
        logger.warning("page cache: the generation could not be bumped")


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump_generation, dispatch_uid=f"kb-page-cache-{id(signal)}")
    post_page_move.connect(bump_generation, dispatch_uid="kb-page-cache-move")


def _may_use(request) -> bool:
    return (
        getattr(settings, "PAGE_CACHE_ENABLED", True)
        and request.method in ("GET", "HEAD")
        and not request.COOKIES
        and not request.META.get("QUERY_STRING")
    )


def _key(request, generation: int) -> str:
    return f"kb-page:{generation}:{timezone.localdate()}:{request.build_absolute_uri()}"


def mark_wagtail_page(request) -> None:
    """Called as Wagtail serves a page: its response may be stored (see the module)."""
    setattr(request, CACHED_ATTRIBUTE, True)


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
            and getattr(request, CACHED_ATTRIBUTE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in response.get("Cache-Control", "") for word in NEVER_STORED)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response["Content-Type"], response.content), _seconds())
        return response

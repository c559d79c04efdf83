"""Every query the feedback views and admin make: recording, counting, listing."""

from django.db.models import Count, Max, Q
from django.urls import Resolver404, resolve
from wagtail.models import Page, Site

from kb.contexts.visibility import public

from .models import PageFeedback
from .privacy import mask_personal_details

WAGTAIL_PAGE_VIEW = "wagtail_serve"
# Public addresses that are not Wagtail pages but may be named in feedback. Anything else (a
# pack's share link, a submitter's status link: credentials) is recorded as OTHER_PATH.
# The form is shown only on these, so no credential in an address reaches a feedback link.
NAMED_PUBLIC_VIEWS = {
    "search",
    "accessibility-statement",
    "submissions-form",
    "open-data",
    "alert-subscribe",
}
OTHER_PATH = "(another page)"
MAX_PATH = 500


def view_name(path):
    """The URL name of a local path, or None (never touches the database)."""
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def may_ask_about(path):
    """Whether feedback may name this address: a Wagtail page or a named public view."""
    return view_name(path) in NAMED_PUBLIC_VIEWS | {WAGTAIL_PAGE_VIEW}


def where(request, path):
    """(page or None, the path to store) for an address a reader gave, never a private one."""
    path = (path or "").split("?", 1)[0].split("#", 1)[0][:MAX_PATH]
    name = view_name(path)
    if name in NAMED_PUBLIC_VIEWS:
        return None, path
    if name != WAGTAIL_PAGE_VIEW:
        return None, OTHER_PATH
    site = Site.find_for_request(request)
    if site is None:
        return None, OTHER_PATH
    url_path = site.root_page.url_path + path.strip("/") + "/" if path != "/" else None
    page = (
        site.root_page
        if url_path is None
        else public(Page.objects.filter(url_path=url_path), request).first()
    )
    return (page, path) if page is not None else (None, OTHER_PATH)


def record(request, path, kind, text=""):
    page, stored_path = where(request, path)
    return PageFeedback.objects.create(
        page=page, path=stored_path, kind=kind, text=mask_personal_details(text)
    )


def _totals():
    return {
        "useful": Count("id", filter=Q(kind=PageFeedback.Kind.USEFUL)),
        "not_useful": Count("id", filter=Q(kind=PageFeedback.Kind.NOT_USEFUL)),
        "problems": Count("id", filter=Q(kind=PageFeedback.Kind.PROBLEM)),
        "total": Count("id"),
        "latest": Max("created_at"),
    }


def summary_by_page():
    """One row per page (or address) with its counts, most recent feedback first."""
    return list(
        PageFeedback.objects.values("page_id", "page__title", "path")
        .annotate(**_totals())
        .order_by("-latest")
    )


def count_for_page(page_id):
    return PageFeedback.objects.filter(page_id=page_id).count()


def for_page(page_id):
    return list(PageFeedback.objects.filter(page_id=page_id))


def all_feedback():
    return PageFeedback.objects.select_related("page").order_by("-created_at")

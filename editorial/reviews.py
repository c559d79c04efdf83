"""Which pages are due for review: what the dashboard panel, the report and `review_due` share."""

import datetime

from django.utils import timezone
from wagtail.models import get_page_models

from kb.models.pages import ReviewedPage, review_overdue_q

# Every page type with review dates (a ReviewedPage), in the order the apps define them.
REVIEWED_MODELS = tuple(model for model in get_page_models() if issubclass(model, ReviewedPage))
DUE_SOON_DAYS = 30


def live_reviewed_pages():
    for model in REVIEWED_MODELS:
        yield from model.objects.live().select_related("review_owner")


def pages_due(today=None, within_days=0):
    """Live pages due on or before `today + within_days`, soonest first (overdue ones first)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    if within_days == 0:
        rows = []
        for model in REVIEWED_MODELS:
            rows += (
                model.objects.live().filter(review_overdue_q(today)).select_related("review_owner")
            )
    else:
        rows = [page for page in live_reviewed_pages() if _due_by(page, horizon)]
    return sorted(rows, key=lambda page: (page.next_review_due(), page.title))


def _due_by(page, horizon):
    due = page.next_review_due()
    return due is not None and due <= horizon


def overdue(today=None):
    return pages_due(today)


def owner_label(page):
    owner = page.review_owner
    if owner is None:
        return ""
    return owner.get_full_name() or owner.get_username()

"""`send_alerts`: find what is new for each due subscription, queue it, then send the queue.

Matching runs each distinct search once (however many subscribe to it), through the search
app's own `every_hit`, so an alert names exactly the pages the search page would list, and
intersects the result with the pages published or updated since each subscription was last
dealt with.

Idempotent and safe to kill:
1. Queue: for a batch of subscriptions, in one transaction, write each alert (subject, body),
   a `SentPage` row per page it names (unique per subscription and page, so a page is never
   named twice) and move the subscriptions' `matched_until` on. Killed mid-batch, the batch
   rolls back and the next run finds the same pages again.
2. Send: every queued alert without `sent_at`, one at a time, marking `sent_at` in its own
   commit as soon as the mail server accepts it. Killed mid-send, the next run sends only the
   unmarked ones. (The one window left is between the server's acceptance and that commit;
   the alert's fixed Message-ID lets mail systems drop such a duplicate.)
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from kb.contexts.visibility import public
from search.engines import get_engine
from search.links import results_url

from . import emails
from .models import PERIODS, AlertEmail, SentPage, Subscription
from .searches import matching, request_for

logger = logging.getLogger(__name__)

UNCONFIRMED_LIFETIME = datetime.timedelta(days=7)
QUEUE_BATCH = 500


@dataclasses.dataclass
class RunReport:
    purged: int = 0
    due: int = 0
    searches: int = 0
    queued: int = 0
    sent: int = 0


def send_alerts(*, now=None, engine=None, connection=None) -> RunReport:
    now = now or timezone.now()
    report = RunReport()
    report.purged = purge(now)
    queue_alerts(now, engine or get_engine(), report)
    report.sent = send_queued(connection or get_connection())
    return report


def purge(now) -> int:
    """Unconfirmed sign-ups older than 7 days."""
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_LIFETIME
    ).delete()
    return deleted


@dataclasses.dataclass
class Due:
    pk: int
    query: str
    filters: dict
    search_hash: str
    matched_until: datetime.datetime
    frequency: str
    description: str


def due_subscriptions(now) -> list[Due]:
    rows = Subscription.objects.filter(
        confirmed_at__isnull=False, matched_until__isnull=False
    ).values_list(
        "pk", "query", "filters", "search_hash", "matched_until", "frequency", "description"
    )
    return [Due(*row) for row in rows if row[4] + PERIODS[row[5]] <= now]


def queue_alerts(now, engine, report: RunReport) -> None:
    due = due_subscriptions(now)
    report.due = len(due)
    if not due:
        return
    since = min(sub.matched_until for sub in due)
    # Pages published or updated after `now` are left for the next run, which starts there.
    changed = {
        pk: (first, last)
        for pk, first, last in public(Page)
        .filter(last_published_at__gt=since, last_published_at__lte=now)
        .values_list("pk", "first_published_at", "last_published_at")
    }
    by_search = defaultdict(list)
    for sub in due:
        by_search[sub.search_hash].append(sub)

    already = set()
    if changed:
        already = set(
            SentPage.objects.filter(page_id__in=list(changed)).values_list(
                "subscription_id", "page_id"
            )
        )
    blocks = {}  # (page id, change) -> text, shared by every alert naming it
    batch = []
    for subs in by_search.values():
        earliest = min(sub.matched_until for sub in subs)
        candidates = {pk for pk, (_, last) in changed.items() if last > earliest}
        search_request = request_for(subs[0].query, subs[0].filters)
        hits = {}
        if candidates:
            report.searches += 1
            result = matching(engine, search_request)
            hits = {hit.id: hit for hit in result.hits if hit.id in candidates}
        for sub in subs:
            pages = []
            for page_id, hit in hits.items():
                first, last = changed[page_id]
                if last > sub.matched_until and (sub.pk, page_id) not in already:
                    change = "new" if first and first > sub.matched_until else "updated"
                    pages.append((last, page_id, hit, change))
            pages.sort(key=lambda row: (row[0], row[1]), reverse=True)
            batch.append((sub, pages, search_request))
            if len(batch) >= QUEUE_BATCH:
                report.queued += write_batch(batch, blocks, now)
                batch = []
    if batch:
        report.queued += write_batch(batch, blocks, now)


def write_batch(batch, blocks, now) -> int:
    """Queue these subscriptions' alerts and move them on, all or nothing."""
    with transaction.atomic():
        still_there = set(
            Subscription.objects.select_for_update()
            .filter(pk__in=[sub.pk for sub, _, _ in batch])
            .values_list("pk", flat=True)
        )
        alerts, named = [], []
        for sub, pages, search_request in batch:
            if sub.pk not in still_there or not pages:
                continue
            parts = []
            for _, page_id, hit, change in pages:
                key = (page_id, change)
                if key not in blocks:
                    blocks[key] = emails.page_block(hit, change)
                parts.append(blocks[key])
            alerts.append(
                AlertEmail(
                    subscription_id=sub.pk,
                    subject=emails.alert_subject(sub.description, len(pages)),
                    body=emails.alert_body(
                        sub, parts, sub.matched_until, results_url(search_request)
                    ),
                )
            )
            named.append([(page_id, change) for _, page_id, _, change in pages])
        AlertEmail.objects.bulk_create(alerts)
        SentPage.objects.bulk_create(
            SentPage(
                subscription_id=alert.subscription_id, page_id=page_id, alert=alert, change=change
            )
            for alert, pages in zip(alerts, named, strict=True)
            for page_id, change in pages
        )
        Subscription.objects.filter(pk__in=still_there).update(matched_until=now)
    return len(alerts)


def send_queued(connection) -> int:
    """Send every queued alert not yet sent; each is marked sent in its own commit."""
    pending = list(
        AlertEmail.objects.filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    sent = 0
    for start in range(0, len(pending), QUEUE_BATCH):
        chunk = AlertEmail.objects.filter(
            pk__in=pending[start : start + QUEUE_BATCH], sent_at__isnull=True
        ).select_related("subscription")
        for alert in chunk.order_by("pk"):
            mail = emails.message(
                alert.subject, alert.body, alert.subscription, message_key=f"alert-{alert.pk}"
            )
            connection.send_messages([mail])
            AlertEmail.objects.filter(pk=alert.pk).update(sent_at=timezone.now())
            sent += 1
    return sent

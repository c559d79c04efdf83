"""A `send_alerts` run killed half-way, then a re-run: nothing lost, nothing doubled.

Killed twice: once while queuing (after the first batch committed) and once while sending
(after the mail server accepted the first alert). Uses the shared index read-only: every
loaded page counts as new to subscriptions whose `matched_until` is set before the load.
"""

import dataclasses
import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from wagtail.models import Page

from alerts import sending
from alerts.models import SentPage, Subscription
from alerts.searches import canonical, request_for
from kb.contexts.visibility import public
from search.engines import SearchRequest, get_engine

SEARCHES = [("", {"theme": ["housing"]}), ("smoking", {}), ("", {"area": ["bolton"]})]


class Killed(BaseException):
    """Stands in for SIGKILL: nothing in the run catches it."""


def pages_the_search_page_lists(query, filters):
    """Page by page through the engine, as a reader of /search/ would."""
    engine, ids, number = get_engine(), set(), 1
    while True:
        response = engine.search(SearchRequest.build(query=query, filters=filters, page=number))
        ids |= {hit.id for hit in response.hits}
        if number >= response.pages:
            return ids
        number += 1


@pytest.fixture
def subscriptions(db):
    before_load = (
        Page.objects.live().exclude(last_published_at=None).order_by("last_published_at")[0]
    ).last_published_at
    made = []
    for number, (query, filters) in enumerate(SEARCHES):
        search = canonical(request_for(query, filters))
        for copy in range(2):  # two subscribers per search: still one search each
            made.append(
                Subscription.objects.create(
                    email=f"reader{number}-{copy}@example.org",
                    description=f"search {number}",
                    frequency="immediately",
                    confirmed_at=before_load - datetime.timedelta(seconds=1),
                    matched_until=before_load - datetime.timedelta(seconds=1),
                    **search,
                )
            )
    return made


def run(**kwargs):
    return sending.send_alerts(now=timezone.now(), **kwargs)


def test_killed_while_queuing_then_rerun(subscriptions, monkeypatch):
    monkeypatch.setattr(sending, "QUEUE_BATCH", 2)
    real_write = sending.write_batch
    calls = []

    def write_then_die(*args):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        return real_write(*args)

    monkeypatch.setattr(sending, "write_batch", write_then_die)
    with pytest.raises(Killed):
        run()
    assert mail.outbox == []  # killed before sending anything
    monkeypatch.setattr(sending, "write_batch", real_write)
    report = run()
    assert report.searches == 2  # the first batch's search was already dealt with
    assert_each_got_its_pages_once(subscriptions)


class DiesAfterOne(EmailBackend):
    def send_messages(self, messages):
        if mail.outbox:
            raise Killed
        return super().send_messages(messages)


def test_killed_while_sending_then_rerun(subscriptions):
    with pytest.raises(Killed):
        report = sending.RunReport()
        sending.queue_alerts(timezone.now(), get_engine(), report)
        assert report.searches == len(SEARCHES) and report.queued == len(subscriptions)
        sending.send_queued(DiesAfterOne())
    assert len(mail.outbox) == 1
    report = run()
    assert dataclasses.astuple(report)[1:] == (len(subscriptions), 0, 0, len(subscriptions) - 1)
    assert_each_got_its_pages_once(subscriptions)
    assert run().sent == 0


def assert_each_got_its_pages_once(subscriptions):
    by_address = {}
    for message in mail.outbox:
        by_address.setdefault(message.to[0], []).append(message)
    live = dict(public(Page).values_list("pk", "url_path"))
    for subscription in subscriptions:
        received = by_address[subscription.email]
        assert len(received) == 1, subscription.email
        named = set(
            SentPage.objects.filter(subscription_id=subscription.pk).values_list(
                "page_id", flat=True
            )
        )
        expected = pages_the_search_page_lists(subscription.query, subscription.filters)
        assert named and named == expected & set(live)
        assert received[0].subject.startswith(f"{len(named)} new or updated page")

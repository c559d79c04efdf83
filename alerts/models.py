"""Email alert subscriptions, what each was sent, and the outbox the sender works from.

A subscriber's address is personal data: it lives only in `Subscription.email`, is never
logged, never indexed, never in the API, feeds or exports, and only admins with the
`alerts.view_subscriber_addresses` permission see it. Unsubscribing deletes the subscription,
what it was sent and its queued mail.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import models

IMMEDIATELY, DAILY, WEEKLY = "immediately", "daily", "weekly"
FREQUENCIES = [
    (IMMEDIATELY, "As soon as there is something new"),
    (DAILY, "Once a day at most"),
    (WEEKLY, "Once a week at most"),
]
# How long after its last alert a subscription is next due (a few minutes' grace, so a job run
# every day at the same time finds a daily subscription due).
PERIODS = {
    IMMEDIATELY: datetime.timedelta(0),
    DAILY: datetime.timedelta(days=1) - datetime.timedelta(minutes=15),
    WEEKLY: datetime.timedelta(days=7) - datetime.timedelta(minutes=15),
}


def search_hash(search_key: str) -> str:
    return hashlib.sha256(search_key.encode()).hexdigest()


class Subscription(models.Model):
    email = models.EmailField(max_length=254)
    query = models.CharField(max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True)  # {facet name: [slug, ...]}
    # One value per distinct search (query and filters), so the sender runs each search once.
    search_hash = models.CharField(max_length=64, db_index=True)
    description = models.CharField(max_length=500)  # the search in words, when subscribed
    frequency = models.CharField(max_length=12, choices=FREQUENCIES, default=DAILY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Pages published or updated after this moment are news to this subscription. Set on
    # confirming, moved on each time the sender has dealt with the subscription.
    matched_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "search_hash"], name="one_alert_per_search")
        ]
        permissions = [
            ("view_subscriber_addresses", "Can see email alert subscribers' addresses"),
        ]

    def __str__(self):
        # Never the address: this string may end up in a log or an admin message.
        return f"Alert subscription {self.pk} ({self.frequency})"


class AlertEmail(models.Model):
    """The outbox: one alert, written with the pages it names before anything is sent.

    `sent_at` is set the moment the mail server accepted it, so a killed run's re-run sends
    exactly the alerts still unsent.
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"Alert email {self.pk}"


class SentPage(models.Model):
    """A page named to a subscription: never named to it again."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    page_id = models.IntegerField()
    alert = models.ForeignKey(AlertEmail, on_delete=models.CASCADE, related_name="pages")
    change = models.CharField(max_length=8)  # "new" or "updated"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "page_id"], name="page_once_per_alert")
        ]

    def __str__(self):
        return f"Page {self.page_id} in alert {self.alert_id}"

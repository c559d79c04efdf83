"""Signing up: rate limits, double opt-in and what is sent, whoever is typing the address.

The answer a visitor sees never says whether an address is already subscribed. Limits:
`CLIENT_LIMIT` sign-ups an hour from one client address (a 429 page), and `EMAIL_LIMIT` emails
a day to one email address (beyond it the page looks the same and nothing is sent), so the form
cannot be used to send mail to someone repeatedly. Counted by `ratelimits` (keyed hashes only).
"""

from __future__ import annotations

import logging

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from ratelimits.limits import allow

from . import emails
from .models import Subscription

logger = logging.getLogger(__name__)

EMAIL_LIMIT = 3  # emails to one address a day
CLIENT_LIMIT = 10  # sign-ups from one client address an hour


class TooManySignups(Exception):
    """Too many sign-ups from this client: the page answers 429."""


def normalise(email: str) -> str:
    return email.strip().lower()


def subscribe(email, search, description, frequency, client_address, now=None) -> None:
    """Record a sign-up and email a confirmation link (or, if already confirmed, a manage link).

    `search` is `alerts.searches.canonical(...)`. Raises TooManySignups.
    """
    now = now or timezone.now()
    email = normalise(email)
    if not allow("alerts-client", client_address, CLIENT_LIMIT, 3600):
        raise TooManySignups
    if not allow("alerts-email", email, EMAIL_LIMIT, 24 * 3600):
        logger.info("alert sign-up: daily email limit reached for an address; nothing sent")
        return
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(
                email=email,
                search_hash=search["search_hash"],
                defaults={
                    "query": search["query"],
                    "filters": search["filters"],
                    "description": description[:500],
                    "frequency": frequency,
                },
            )
    except IntegrityError:  # the same sign-up twice at once: the other one sends the email
        return
    if subscription.confirmed_at is None:
        if not created and subscription.frequency != frequency:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        mail = emails.confirmation_message(subscription)
    else:
        mail = emails.already_subscribed_message(subscription)
    get_connection().send_messages([mail])
    logger.info("alert sign-up: confirmation email sent for subscription %s", subscription.pk)


def confirm(subscription: Subscription, now=None) -> None:
    if subscription.confirmed_at is None:
        now = now or timezone.now()
        subscription.confirmed_at = now
        subscription.matched_until = now
        subscription.save(update_fields=["confirmed_at", "matched_until"])
        logger.info("alert subscription %s confirmed", subscription.pk)

"""The text of confirmation and alert emails, and the message each becomes.

Alert bodies are built from per-page blocks shared by every subscription that names the page,
so 10,000 alerts cost string joins, not 10,000 template renders.
"""

from __future__ import annotations

import html

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from config.site import site_host

from .links import absolute, signed_url
from .models import FREQUENCIES

FREQUENCY_LABELS = dict(FREQUENCIES)
SUMMARY_WORDS = 60


def page_block(hit, change: str) -> str:
    """One page in an alert: why it is there (new or updated), its title, link and summary."""
    summary = Truncator(html.unescape(strip_tags(hit.snippet))).words(SUMMARY_WORDS)
    lines = [f"{change.capitalize()}: {hit.type}: {hit.title}", f"  {absolute(hit.url)}"]
    if summary:
        lines.append(f"  {summary}")
    return "\n".join(lines) + "\n\n"


def alert_subject(description: str, count: int) -> str:
    pages = "page" if count == 1 else "pages"
    return Truncator(f"{count} new or updated {pages} for your search: {description}").chars(250)


def alert_body(subscription, blocks: list[str], since, search_path: str) -> str:
    site = settings.WAGTAIL_SITE_NAME
    since_text = timezone.localtime(since).strftime("%-d %B %Y %H:%M")
    return (
        f"You asked to hear about new and updated pages in the {site} that match this search:\n\n"
        f"  {subscription.description}\n  {absolute(search_path)}\n\n"
        f"These pages match it, and were published or updated since {since_text}:\n\n"
        + "".join(blocks)
        + footer(subscription)
    )


def footer(subscription) -> str:
    frequency = FREQUENCY_LABELS.get(subscription.frequency, subscription.frequency).lower()
    return (
        f"Why you got this email: you signed up for emails about this search "
        f"({frequency}) and confirmed your address.\n\n"
        f"Change how often you get these, or see all your alerts: "
        f"{signed_url('manage', subscription.pk)}\n"
        f"Stop emails about this search: {signed_url('unsubscribe', subscription.pk)}\n"
    )


def message(subject: str, body: str, subscription, *, message_key: str) -> EmailMessage:
    """An email to the subscriber with RFC 8058 one-click unsubscribe headers.

    The Message-ID is fixed by `message_key`, so a mail system can tell a resend from a new mail.
    """
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{signed_url('unsubscribe', subscription.pk)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<{message_key}@{site_host()}>",
            "Auto-Submitted": "auto-generated",
        },
    )


def confirmation_message(subscription) -> EmailMessage:
    site = settings.WAGTAIL_SITE_NAME
    body = (
        f"Someone (we hope you) asked for emails from the {site} about this search:\n\n"
        f"  {subscription.description}\n\n"
        f"To start getting them, confirm your address within 7 days:\n"
        f"{signed_url('confirm', subscription.pk)}\n\n"
        f"If you did not ask for this, ignore this email: nothing will be sent, and we delete "
        f"unconfirmed sign-ups after 7 days.\n"
    )
    return message(
        "Confirm your email alert",
        body,
        subscription,
        message_key=f"alert-confirm-{subscription.pk}-{timezone.now().timestamp():.0f}",
    )


def already_subscribed_message(subscription) -> EmailMessage:
    site = settings.WAGTAIL_SITE_NAME
    body = (
        f"Someone (we hope you) asked again for emails from the {site} about this search:\n\n"
        f"  {subscription.description}\n\n"
        f"You already get them. To change how often, or stop them:\n"
        f"{signed_url('manage', subscription.pk)}\n"
    )
    return message(
        "You already get this email alert",
        body,
        subscription,
        message_key=f"alert-again-{subscription.pk}-{timezone.now().timestamp():.0f}",
    )

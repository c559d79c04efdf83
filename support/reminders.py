"""Reminder emails for follow-ups: each owner gets one message listing their items that are
overdue or due soon, and an item is mentioned at most once a day however often the job runs."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from .due import due_follow_ups
from .models import FollowUp, person_label


def _line(item, today):
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "support_follow_ups:edit", args=[item.pk]
    )
    when = f"due {item.due_date:%-d %B %Y}"
    if item.due_date < today:
        days = (today - item.due_date).days
        when += f", {days} day{'s' if days != 1 else ''} overdue"
    return f"- {item.get_kind_display()}: {item.visit.area.name} ({when})\n  {url}"


def send_reminders(today, days) -> tuple[int, list[str]]:
    """Email each owner their open items overdue or due within `days` not yet reminded today.

    Returns (emails sent, problems to report): an owner with no email address is reported by
    the item's id, not skipped silently.
    """
    overdue, due_soon = due_follow_ups(today=today, days=days)
    by_owner = defaultdict(list)
    problems = []
    for item in overdue + due_soon:
        if item.reminded_on == today:
            continue
        if item.owner is None or not item.owner.email:
            problems.append(
                f"Follow-up {item.pk}: no owner, or no email address for its owner; not sent."
            )
            continue
        by_owner[item.owner].append(item)
    sent = 0
    for owner, items in by_owner.items():
        lines = [_line(item, today) for item in items]
        with transaction.atomic():
            FollowUp.objects.filter(pk__in=[item.pk for item in items]).update(reminded_on=today)
            send_mail(
                f"{len(items)} support follow-up{'s' if len(items) != 1 else ''} due or overdue",
                f"Dear {person_label(owner)},\n\nThese follow-ups you own are overdue or due in "
                f"the next {days} days:\n\n" + "\n".join(lines) + "\n\nMark each one done on its "
                "page when it is.\n",
                None,
                [owner.email],
            )
        sent += 1
    return sent, problems

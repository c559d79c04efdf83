"""What is due: the one rule behind the dashboard panel and `manage.py support_due`."""

import datetime

from django.utils import timezone

from .models import FollowUp

DUE_SOON_DAYS = 14


def due_follow_ups(today=None, days=DUE_SOON_DAYS):
    """Open follow-ups that are overdue, and those due within `days`: (overdue, due_soon)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    open_items = list(
        FollowUp.objects.exclude(status=FollowUp.Status.DONE)
        .filter(due_date__lte=horizon)
        .select_related("visit__area", "owner")
        .order_by("due_date", "pk")
    )
    overdue = [item for item in open_items if item.due_date < today]
    due_soon = [item for item in open_items if item.due_date >= today]
    return overdue, due_soon

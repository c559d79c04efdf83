"""The one admin page that shows subscribers' addresses, to holders of a named permission.

`alerts.view_subscriber_addresses` ("Can see email alert subscribers' addresses") must be
granted on purpose (superusers have it); nobody else reaches this page or its menu item, and
no snippet, chooser or model view is registered for the alerts models.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render

from .models import Subscription

PERMISSION = "alerts.view_subscriber_addresses"
LIMIT = 500


def can_see_subscribers(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def subscribers(request):
    if not can_see_subscribers(request.user):
        raise PermissionDenied
    totals = Subscription.objects.aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    rows = Subscription.objects.order_by("-created_at", "-pk")[:LIMIT]
    return render(
        request, "alerts/admin/subscribers.html", {"rows": rows, "totals": totals, "limit": LIMIT}
    )

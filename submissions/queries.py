"""What the moderators' panel, list and report read."""

import datetime
import statistics

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Submission

REPORT_MONTHS = 12


def open_submissions():
    return list(Submission.objects.filter(status__in=Submission.OPEN).order_by("created_at"))


def listing(status=None):
    rows = Submission.objects.all()
    if status in Submission.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at")


def for_page(page_id):
    return Submission.objects.filter(page_id=page_id).first()


def by_pk(pk):
    return Submission.objects.filter(pk=pk).first()


def report(now=None):
    """Arrivals per month for a year, and days from arrival to decision (published or declined)."""
    now = now or timezone.now()
    since = (now - datetime.timedelta(days=31 * REPORT_MONTHS)).replace(day=1)
    arrivals = list(
        Submission.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    decided = Submission.objects.exclude(decided_at=None).values_list("created_at", "decided_at")
    days = [(decided_at - created).total_seconds() / 86400 for created, decided_at in decided]
    by_status = dict(
        Submission.objects.values_list("status").annotate(count=Count("id")).order_by()
    )
    return {
        "arrivals": arrivals,
        "decided": len(days),
        "median_days": round(statistics.median(days), 1) if days else None,
        "longest_days": round(max(days), 1) if days else None,
        "by_status": [
            (label, by_status.get(value, 0)) for value, label in Submission.Status.choices
        ],
        "waiting": Submission.objects.filter(status__in=Submission.OPEN).count(),
    }


def purgeable(cutoff):
    """Declined before `cutoff`: deleted, with their drafts."""
    return Submission.objects.filter(status=Submission.Status.DECLINED, decided_at__lt=cutoff)


def personal_data_to_remove(cutoff):
    """Published before `cutoff`: the submitter's details are no longer needed."""
    return Submission.objects.filter(
        status=Submission.Status.PUBLISHED,
        decided_at__lt=cutoff,
        personal_data_removed_at=None,
    )

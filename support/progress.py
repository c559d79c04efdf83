"""Progress from the area: what the lead sets through a progress link, and the record of it.

Each change is kept as a `ProgressUpdate` (who, the link's named recipient; when; the old and
new progress and comment), and only the recommendation's `progress` column is written, so a
team member's edit to its text at the same time is never overwritten.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch

from .models import ProgressLink, ProgressUpdate, Recommendation

# Posts through one link: enough for a lead saving after each recommendation, bounded so a
# leaked link cannot fill the history (ratelimits counts them in the database).
POSTS_PER_LINK = (30, 3600)
RATE_LIMIT_SCOPE = "support-progress"


def recommendations_for_area(visit):
    """The visit's recommendations with their updates (newest first), in the team's order."""
    return list(
        Recommendation.objects.filter(visit=visit)
        .select_related("theme")
        .prefetch_related("progress_updates")
        .order_by("sort_order", "pk")
    )


def record_progress(link: ProgressLink, wanted: dict[int, tuple[str, str]]) -> int:
    """Apply {recommendation id: (progress, comment)} for the link's visit; returns how many
    recommendations changed. Ids of another visit's recommendations are never read."""
    changed = 0
    with transaction.atomic():
        rows = (
            Recommendation.objects.select_for_update()
            .filter(visit_id=link.visit_id, pk__in=list(wanted))
            .prefetch_related("progress_updates")
        )
        for recommendation in rows:
            progress, comment = wanted[recommendation.pk]
            latest = recommendation.latest_update()
            old_comment = latest.comment if latest else ""
            if progress == recommendation.progress and comment == old_comment:
                continue
            ProgressUpdate.objects.create(
                recommendation=recommendation,
                link=link,
                made_by=link.recipient_name,
                old_progress=recommendation.progress,
                new_progress=progress,
                old_comment=old_comment,
                comment=comment,
            )
            if progress != recommendation.progress:
                Recommendation.objects.filter(pk=recommendation.pk).update(progress=progress)
            changed += 1
    return changed


def progress_overview(visit):
    """For the workspace: the visit's links (newest first) and each recommendation with its
    history of updates."""
    links = list(
        ProgressLink.objects.filter(visit=visit)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    recommendations = list(
        Recommendation.objects.filter(visit=visit)
        .select_related("theme")
        .prefetch_related(Prefetch("progress_updates", queryset=ProgressUpdate.objects.all()))
        .order_by("sort_order", "pk")
    )
    return links, recommendations

"""Delete declined submissions (and their drafts) and published submitters' details after the
retention period. Run daily from the scheduler (docs/deployment.md)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from submissions import queries


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days (default: the SUBMISSIONS_RETENTION_DAYS setting).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.SUBMISSIONS_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted = 0
        with transaction.atomic():
            for submission in queries.purgeable(cutoff):
                draft = Page.objects.filter(pk=submission.page_id, live=False).first()
                if draft is not None:
                    draft.delete()
                submission.delete()
                deleted += 1
            cleared = queries.personal_data_to_remove(cutoff).update(
                submitter_name="", submitter_email="", personal_data_removed_at=timezone.now()
            )
        self.stdout.write(
            f"Deleted {deleted} declined submission{'s' if deleted != 1 else ''} older than "
            f"{days} days; removed the submitter's details from {cleared} published one"
            f"{'s' if cleared != 1 else ''}."
        )

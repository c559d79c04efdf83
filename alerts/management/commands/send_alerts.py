"""Send email alerts: run by a scheduled job (every 10 minutes; see docs/deployment.md)."""

from django.core.management.base import BaseCommand, CommandError

from alerts.sending import send_alerts
from search.engines import EngineUnavailable


class Command(BaseCommand):
    help = (
        "Queue and send email alerts for new and updated pages matching each subscription's "
        "search; delete unconfirmed sign-ups older than 7 days. Safe to re-run or kill."
    )

    def handle(self, *args, **options):
        try:
            report = send_alerts()
        except EngineUnavailable as error:
            raise CommandError(f"search is unavailable, nothing queued: {error}") from None
        except OSError as error:  # the mail server refused or is unreachable
            raise CommandError(f"sending stopped (queued alerts stay queued): {error}") from None
        self.stdout.write(
            f"{report.due} subscriptions due, {report.searches} searches run, "
            f"{report.queued} alerts queued, {report.sent} sent, "
            f"{report.purged} unconfirmed sign-ups deleted"
        )

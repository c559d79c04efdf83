"""Follow-ups due in the next days and those overdue, for a scheduled job (e.g. daily cron).

With --notify, each owner is emailed their items, each item at most once a day (so the job may
run hourly). Exits 0 either way; the output is empty of personal data except the owner's
username.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from support.due import DUE_SOON_DAYS, due_follow_ups
from support.reminders import send_reminders


class Command(BaseCommand):
    help = f"List follow-ups that are overdue and those due in the next {DUE_SOON_DAYS} days."

    def add_arguments(self, parser):
        parser.add_argument("--days", default=str(DUE_SOON_DAYS), help="How far ahead to look.")
        parser.add_argument("--today", default="", help="Count from this date (YYYY-MM-DD).")
        parser.add_argument(
            "--notify",
            action="store_true",
            help="Email each follow-up's owner what is overdue or due (once per item per day).",
        )

    def handle(self, *args, **options):
        try:
            days = int(options["days"])
        except ValueError:
            raise CommandError("--days must be a whole number of days, e.g. 14.") from None
        if days < 0 or days > 366:
            raise CommandError("--days must be between 0 and 366.")
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date as YYYY-MM-DD.") from None
        today = today or timezone.localdate()
        overdue, due_soon = due_follow_ups(today=today, days=days)
        for heading, items in (("Overdue", overdue), (f"Due in the next {days} days", due_soon)):
            self.stdout.write(f"{heading}: {len(items)}")
            for item in items:
                owner = item.owner.get_username() if item.owner else "no owner"
                self.stdout.write(
                    f"  {item.due_date.isoformat()}  {item.visit.area.name}: "
                    f"{item.get_kind_display()} ({item.get_status_display().lower()}; {owner})"
                )
        if options["notify"]:
            sent, problems = send_reminders(today, days)
            for problem in problems:
                self.stdout.write(problem)
            self.stdout.write(f"Sent {sent} reminder email{'s' if sent != 1 else ''}.")

"""List overdue pages for a scheduled job; with --notify, email each review owner their list.

Pages with no owner are emailed to the moderators, so nothing overdue goes unseen.
Exit status 0 whether or not anything is overdue; the output says how many.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from editorial import roles
from editorial.reviews import overdue, owner_label


def admin_url(page):
    return settings.WAGTAILADMIN_BASE_URL + reverse("wagtailadmin_pages:edit", args=[page.pk])


class Command(BaseCommand):
    help = "List pages overdue for review; --notify emails each owner (moderators if none)."

    def add_arguments(self, parser):
        parser.add_argument("--notify", action="store_true", help="Email each review owner.")
        parser.add_argument(
            "--date", help="Treat this day (YYYY-MM-DD) as today, e.g. to check a schedule."
        )

    def handle(self, *args, notify=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date (YYYY-MM-DD)") from None
        pages = overdue(today)
        for page in pages:
            owner = owner_label(page) or "no owner"
            self.stdout.write(
                f"{page.next_review_due():%Y-%m-%d}  {page.type_label}: {page.title}  "
                f"({owner})  {admin_url(page)}"
            )
        self.stdout.write(f"{len(pages)} page(s) overdue for review.")
        if notify and pages:
            sent = self.notify(pages)
            self.stdout.write(f"Sent {sent} reminder email(s).")

    def notify(self, pages):
        by_recipient = {}
        moderators = list(
            get_user_model()
            .objects.filter(groups__name=roles.MODERATORS, is_active=True)
            .exclude(email="")
        )
        for page in pages:
            owner = page.review_owner
            recipients = [owner] if owner is not None and owner.email else moderators
            for person in recipients:
                by_recipient.setdefault(person.email, []).append(page)
        for email, owned in sorted(by_recipient.items()):
            lines = [
                f"- {page.title}: due {page.next_review_due():%d %B %Y}\n  {admin_url(page)}"
                for page in owned
            ]
            send_mail(
                f"{len(owned)} knowledge base page(s) due for review",
                "These pages are due for review. Check each is still right, set "
                "'Last reviewed' to today and submit it for moderation.\n\n" + "\n".join(lines),
                None,
                [email],
            )
        return len(by_recipient)

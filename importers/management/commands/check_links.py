"""Check every web address that resources and case studies hold; store status and date."""

from django.core.management.base import BaseCommand, CommandError

from importers.links import MAX_WORKERS, check_links


class Command(BaseCommand):
    help = "Check the web addresses resources and case studies hold (HEAD, then GET)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="Only addresses not checked in the last DAYS days (default: all).",
        )
        parser.add_argument(
            "--workers", type=int, default=MAX_WORKERS, help=f"At most {MAX_WORKERS} at once."
        )

    def handle(self, *args, older_than, workers, **options):
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be 0 or more days")
        results = check_links(older_than, workers)
        counts = {}
        for result in results:
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            if options["verbosity"] >= 1 and result.outcome in ("broken", "unreachable"):
                detail = result.status or result.error
                self.stdout.write(f"{result.outcome}: {result.url} ({detail})")
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        self.stdout.write(f"Checked {len(results)} address(es){': ' + summary if summary else ''}")

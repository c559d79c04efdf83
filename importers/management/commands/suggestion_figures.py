"""Print the duplicate-warning hit rate and suggested-tag recall and precision (see measure.py)."""

from django.core.management.base import BaseCommand

from importers.measure import measure


class Command(BaseCommand):
    help = "Measure duplicate warnings and tag suggestions on the report's case studies."

    def handle(self, *args, **options):
        figures = measure()
        self.stdout.write(
            f"Duplicate warning: original first for {figures.duplicate_first}/{figures.pages} "
            f"retyped titles ({figures.duplicate_rate:.0%}); among the warnings for "
            f"{figures.duplicate_anywhere}/{figures.pages}"
        )
        self.stdout.write(
            f"Suggested tags (themes and areas): recall {figures.recall:.0%}, precision "
            f"{figures.precision:.0%} ({figures.tag_true_positive} right, "
            f"{figures.tag_false_positive} wrong, {figures.tag_false_negative} missed)"
        )
        if options["verbosity"] >= 2:
            for miss in figures.misses:
                self.stdout.write(f"  not first: {miss}")

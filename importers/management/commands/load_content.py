"""Create or update the knowledge base from fixtures/*.yaml, say what changed, and leave the
search index agreeing with the pages.

The pages are committed first and indexed after, page by page: a load killed in between leaves
pages the index never heard of, and a re-run changes nothing in the database, so no page is
published again and no signal re-indexes them. Only comparing the index with the pages finds
them: `search_index ensure` (compare, then repair) ends every load.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from importers.loader import ContentError, ContentLoader


class Command(BaseCommand):
    help = (
        "Load the report's content from fixtures/ (idempotent; never deletes), then make the "
        "search index agree with the pages (search_index ensure)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            default=str(Path(settings.BASE_DIR) / "fixtures"),
            help="Folder holding the YAML content files.",
        )

    def handle(self, *args, fixtures, **options):
        folder = Path(fixtures)
        if not folder.is_dir():
            raise CommandError(f"no fixtures folder at {folder}")
        try:
            report = ContentLoader(folder).run()
        except ContentError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"invalid content: {'; '.join(error.messages)}") from None
        if options["verbosity"] >= 1:
            for line in report.lines():
                self.stdout.write(line)
            for item in report.kept:
                self.stdout.write(f"kept editor changes: {item}")
            self.stdout.write(f"{report.changed} item(s) created or updated")
        if "search_index" in get_commands():
            # With the cluster down, this server's embedded index is made complete and a warning
            # says search runs in reduced mode; the cluster is repaired once it answers.
            call_command(
                "search_index",
                "ensure",
                or_fallback=True,
                verbosity=options["verbosity"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        return None

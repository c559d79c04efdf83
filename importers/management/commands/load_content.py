"""Create or update the knowledge base from fixtures/*.yaml, and say what changed."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from importers.loader import ContentError, ContentLoader


class Command(BaseCommand):
    help = "Load the report's content from fixtures/ (idempotent; never deletes)."

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
        return None

"""Bring a database to the published site: content from fixtures, then a search reindex."""

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the content (idempotent) and rebuild the search index."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("load_content", verbosity=verbosity)
        if "search_index" in get_commands():
            try:
                call_command("search_index", "rebuild", verbosity=verbosity)
            except CommandError as error:
                if settings.KB_SEARCH_ENGINE not in ("opensearch", "elasticsearch"):
                    raise
                # The embedded fallback index is rebuilt first, so the site still serves search
                # (marked degraded) while the cluster is unreachable.
                self.stderr.write(
                    f"Warning: {error}. Search will answer from the embedded index until "
                    "`manage.py search_index rebuild` succeeds."
                )

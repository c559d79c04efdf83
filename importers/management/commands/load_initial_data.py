"""Bring a database to the published site: content from fixtures, then a complete search index.

The index step compares, then repairs (`search_index ensure`), so a re-run after a load that
was killed part way leaves the index complete, and a re-run after a complete load changes
nothing.
"""

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the content (idempotent), then make the search index complete (compare, repair)."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("load_content", verbosity=verbosity)
        if "search_index" in get_commands():
            try:
                call_command("search_index", "ensure", verbosity=verbosity)
            except CommandError as error:
                if settings.KB_SEARCH_ENGINE not in ("opensearch", "elasticsearch"):
                    raise
                # The embedded fallback index is rebuilt first, so the site still serves search
                # (marked degraded) while the cluster is unreachable.
                self.stderr.write(
                    f"Warning: {error}. Search will answer from the embedded index until "
                    "`manage.py search_index rebuild` succeeds."
                )

"""Bring a database to the published site: content from fixtures, then a search reindex."""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the content (idempotent) and rebuild the search index."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("load_content", verbosity=verbosity)
        if "search_index" in get_commands():
            call_command("search_index", "rebuild", verbosity=verbosity)

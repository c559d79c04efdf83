"""Bring a database to the published site: content from fixtures, then a complete search index.

`load_content` does both: it ends with `search_index ensure` (compare, then repair), so a re-run
after a load that was killed part way leaves the index complete, and a re-run after a complete
load changes nothing. This name is the one `make setup` and the deployment doc use.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the content (idempotent), then make the search index complete (compare, repair)."

    def handle(self, *args, **options):
        call_command(
            "load_content", verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr
        )

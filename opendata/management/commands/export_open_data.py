"""Regenerate the /data/ files now (scheduled daily; see docs/deployment.md)."""

from django.core.management.base import BaseCommand

from opendata.export import export


class Command(BaseCommand):
    help = "Write the open data files (JSON Lines, CSVs, DCAT-AP catalogue) from the public pages."

    def handle(self, *args, **options):
        manifest = export()
        rows = ", ".join(f"{name} {facts['rows']}" for name, facts in manifest["files"].items())
        self.stdout.write(f"open data written: {rows}")

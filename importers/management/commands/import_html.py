"""Import a web page or an HTML file as a draft case study or resource, and say what went where."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from importers.html_import import PAGE_TYPES, import_page
from importers.values import ContentError


class Command(BaseCommand):
    help = "Import SOURCE (an http(s) address or a local .html file) as a draft for review."

    def add_arguments(self, parser):
        parser.add_argument("source", help="An http(s) address or a local .html file.")
        parser.add_argument("--type", default="case_study", choices=sorted(PAGE_TYPES))
        parser.add_argument("--parent", default="", help="Slug of the page to add it under.")

    def handle(self, *args, source, **options):
        try:
            if "://" in source:
                result = import_page(
                    url=source, page_type=options["type"], parent_slug=options["parent"]
                )
            else:
                path = Path(source)
                if not path.is_file():
                    raise ContentError(f"{source}: no such file")
                result = import_page(
                    file_name=path.name,
                    raw=path.read_bytes(),
                    page_type=options["type"],
                    parent_slug=options["parent"],
                )
        except ContentError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(f"invalid content: {'; '.join(error.messages)}") from None
        if options["verbosity"] >= 1:
            for line in result.lines():
                self.stdout.write(line)
            self.stdout.write(f"Review it at /admin/pages/{result.page.pk}/edit/")

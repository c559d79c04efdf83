"""Import a web page or an HTML file as a draft case study or resource, and say what went where."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from importers.html_import import PAGE_TYPES, import_page
from importers.scoring import score_directory
from importers.values import ContentError


class Command(BaseCommand):
    help = "Import SOURCE (an http(s) address or a local .html file) as a draft for review."

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            help="An http(s) address or a local .html file (not with --score).",
        )
        parser.add_argument(
            "--score",
            metavar="DIR",
            help="Score the importer on a judged set: DIR's pages against DIR/expected.yaml. "
            "Prints each wrong field and the share of fields filled correctly; saves nothing.",
        )
        parser.add_argument("--type", default="case_study", choices=sorted(PAGE_TYPES))
        parser.add_argument("--parent", default="", help="Slug of the page to add it under.")

    def handle(self, *args, source, **options):
        if options["score"]:
            return self.score(Path(options["score"]), options["verbosity"])
        if not source:
            raise CommandError("give a SOURCE to import, or --score DIR")
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

    def score(self, directory, verbosity):
        try:
            checks = score_directory(directory)
        except ContentError as error:
            raise CommandError(str(error)) from None
        for check in checks:
            if not check.correct and verbosity >= 1:
                self.stdout.write(
                    f"  wrong: {check.page} {check.name}: expected {check.expected!r}, "
                    f"got {str(check.found)[:120]!r}"
                )
        correct = sum(check.correct for check in checks)
        pages = len({check.page for check in checks})
        share = correct / len(checks) if checks else 0
        self.stdout.write(
            f"Fields filled correctly: {correct} of {len(checks)} ({share:.0%}) on {pages} pages"
        )

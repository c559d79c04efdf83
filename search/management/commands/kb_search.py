"""`manage.py kb_search "QUERY"`: the same search as the page and the API, from a terminal."""

import html
import json
import shutil
import textwrap

from django.core.management.base import BaseCommand, CommandError
from django.utils.html import strip_tags

from search.engines import (
    ENGINE_NAMES,
    EngineUnavailable,
    InvalidSearchRequest,
    SearchRequest,
    get_engine,
)
from search.engines.base import search_within_pages
from search.facets import FACETS, SORTS


class Command(BaseCommand):
    help = "Search the knowledge base and print the results as a table or as the API's JSON."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="", help="Words to search for.")
        for facet in FACETS:
            parser.add_argument(
                f"--{facet.name.replace('_', '-')}",
                dest=facet.name,
                action="append",
                default=[],
                metavar="SLUG",
                help=f"{facet.label} to filter by; repeat for several (OR).",
            )
        parser.add_argument("--sort", default="relevance", choices=list(SORTS))
        parser.add_argument("--page", default="1", help="Page number (20 results a page).")
        parser.add_argument("--json", action="store_true", help="Print the API's JSON.")
        parser.add_argument("--engine", choices=ENGINE_NAMES, help="Default: KB_SEARCH_ENGINE.")
        parser.add_argument(
            "--show-query",
            action="store_true",
            help="Print the request the engine would run instead of running it.",
        )

    def handle(self, *args, **options):
        filters = {facet.name: options[facet.name] for facet in FACETS}
        try:
            request = SearchRequest.build(
                query=options["query"], filters=filters, sort=options["sort"], page=options["page"]
            )
        except InvalidSearchRequest as error:
            raise CommandError(error.message) from None
        try:
            engine = get_engine(options["engine"])
            if options["show_query"]:
                self.stdout.write(json.dumps(engine.explain(request), indent=2, default=str))
                return
            response = search_within_pages(engine, request)
        except InvalidSearchRequest as error:
            raise CommandError(error.message) from None
        except EngineUnavailable as error:
            raise CommandError(f"search engine unavailable: {error}") from None
        if options["json"]:
            self.stdout.write(json.dumps(response.to_api(), indent=2, ensure_ascii=False))
        else:
            self.print_table(response)

    def print_table(self, response):
        width = min(shutil.get_terminal_size((100, 20)).columns, 120)
        write = self.stdout.write
        if response.corrected_from:
            write(f"No results for '{response.corrected_from}'; showing '{response.suggestion}'.")
        elif response.suggestion:
            write(f"Did you mean: {response.suggestion}?")
        for warning in response.warnings:
            write(f"Warning: {warning}")
        first = response.request.offset + 1
        write(
            f"{response.total} results ({response.engine} engine), page {response.request.page} "
            f"of {response.pages}"
        )
        for number, hit in enumerate(response.hits, start=first):
            details = " | ".join(
                part
                for part in (
                    hit.type,
                    str(hit.year or ""),
                    ", ".join(hit.themes),
                    ", ".join(hit.areas),
                )
                if part
            )
            write("")
            write(textwrap.shorten(f"{number:>3}. {hit.title}", width))
            write(textwrap.shorten(f"     {details}", width))
            write(f"     {hit.url}")
            if hit.snippet:
                write(textwrap.shorten("     " + html.unescape(strip_tags(hit.snippet)), width))
        for facet in FACETS:
            values = response.facets.get(facet.name) or []
            if values:
                listed = ", ".join(
                    f"{'*' if v.selected else ''}{v.value} ({v.count})" for v in values
                )
                write("")
                write(textwrap.fill(f"{facet.label}: {listed}", width, subsequent_indent="  "))

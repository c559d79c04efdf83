"""`manage.py search_relevance`: MRR and success@3 per judged query, then overall, by batch and by
kind of query, for each engine side by side with Wagtail's database search.

A cluster engine (opensearch, elasticsearch) is scored on a throwaway index
(`<prefix>-relevance-<random>`) built from the published pages now, and deleted afterwards: the
live alias is never touched, and a cluster that fails is an error, never a silent fallback to
the embedded engine's answers.
"""

import uuid

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.documents import all_documents
from search.engines import CLUSTER_ENGINES, ENGINE_NAMES, EngineUnavailable, get_engine
from search.engines.cluster import ClusterEngine
from search.engines.cluster.dialects import configured_dialect
from search.relevance import (
    BATCHES,
    JUDGEMENTS_FILE,
    JudgementsFileError,
    by_batch,
    by_kind,
    engine_urls,
    evaluate,
    load_judgements,
    summary,
    wagtail_urls,
)


class Command(BaseCommand):
    help = "Score the judged queries in tests/relevance/judgements.yaml (MRR and success@3)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            action="append",
            choices=ENGINE_NAMES,
            help="An engine to score; repeat for several. Default: KB_SEARCH_ENGINE.",
        )
        parser.add_argument(
            "--judgements",
            metavar="FILE",
            help="A judgements file in the same format (e.g. tests/relevance/held_out.yaml). "
            "Default: tests/relevance/judgements.yaml.",
        )
        parser.add_argument(
            "--batch",
            choices=BATCHES,
            help="Score only this batch of judged queries. Default: all of them.",
        )

    def handle(self, *args, **options):
        names = options.get("engine") or [settings.KB_SEARCH_ENGINE]
        try:
            judgements = load_judgements(options.get("judgements") or JUDGEMENTS_FILE)
        except (OSError, JudgementsFileError, yaml.YAMLError) as error:
            # One line: a YAML error spans several (the problem, then where).
            raise CommandError(
                f"cannot read the judgements: {' '.join(str(error).split())}"
            ) from None
        if options.get("batch"):
            judgements = [j for j in judgements if j.batch == options["batch"]]
        columns = []
        for name in dict.fromkeys(names):
            try:
                with scored_engine(name) as engine:
                    columns.append((name, evaluate(judgements, lambda q: engine_urls(engine, q))))
            except EngineUnavailable as error:
                raise CommandError(f"{name}: {error}") from None
        columns.append(("wagtail", evaluate(judgements, wagtail_urls)))
        write = self.stdout.write
        head = "".join(f" {name[:10] + ' RR':>13} {'@3':>3}" for name, _ in columns)
        write(f"{'query':<40} {'kind':<22}{head}")
        for row, judgement in enumerate(judgements):
            cells = "".join(
                f" {outcomes[row].reciprocal_rank:>13.2f} "
                f"{'yes' if outcomes[row].success_at_3 else 'no':>3}"
                for _, outcomes in columns
            )
            write(f"{judgement.query[:40]:<40} {judgement.kind_group[:22]:<22}{cells}")
        write("")
        head = "".join(f" {name[:10] + ' MRR':>14} {'@3':>4}" for name, _ in columns)
        write(f"{'queries':<34} {'n':>4}{head}")
        for label, groups in summary_rows(columns):
            cells = "".join(" {:>14.3f} {:>4.0%}".format(*summary(group)) for group in groups)
            write(f"{label[:34]:<34} {len(groups[0]):>4}{cells}")


def summary_rows(columns):
    """(label, one group of outcomes per column): all queries, then each batch, then each kind."""
    first = columns[0][1]
    yield "all", [outcomes for _, outcomes in columns]
    for batch in by_batch(first):
        yield f"batch {batch}", [by_batch(outcomes)[batch] for _, outcomes in columns]
    for kind in by_kind(first):
        yield f"kind {kind}", [by_kind(outcomes)[kind] for _, outcomes in columns]


class scored_engine:
    """The engine to score: the embedded index as it is, or a fresh cluster index."""

    def __init__(self, name):
        self.name = name
        self.cluster = None

    def __enter__(self):
        if self.name not in CLUSTER_ENGINES:
            return get_engine(self.name)
        prefix = f"{settings.KB_SEARCH_INDEX_PREFIX}-relevance-{uuid.uuid4().hex[:8]}"
        self.cluster = ClusterEngine(configured_dialect(self.name), prefix=prefix)
        self.cluster.rebuild(all_documents())
        return self.cluster

    def __exit__(self, *exc):
        if self.cluster is not None:
            self.cluster.drop()

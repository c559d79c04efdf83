"""`manage.py search_relevance`: MRR and success@3 per judged query, for each engine side by side
with Wagtail's database search.

A cluster engine (opensearch, elasticsearch) is scored on a throwaway index
(`<prefix>-relevance-<random>`) built from the published pages now, and deleted afterwards: the
live alias is never touched, and a cluster that fails is an error, never a silent fallback to
the embedded engine's answers.
"""

import uuid

from django.core.management.base import BaseCommand, CommandError

from search.engines import CLUSTER_ENGINES, ENGINE_NAMES, EngineUnavailable, get_engine
from search.relevance import (
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

    def handle(self, *args, **options):
        from django.conf import settings

        names = options.get("engine") or [settings.KB_SEARCH_ENGINE]
        judgements = load_judgements()
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
            kind = judgement.kind.split(" (")[0]
            cells = "".join(
                f" {outcomes[row].reciprocal_rank:>13.2f} "
                f"{'yes' if outcomes[row].success_at_3 else 'no':>3}"
                for _, outcomes in columns
            )
            write(f"{judgement.query[:40]:<40} {kind[:22]:<22}{cells}")
        write("")
        write(f"{'overall':<40} {'MRR':>12} {'success@3':>10}")
        for name, outcomes in columns:
            mrr, success = summary(outcomes)
            label = "wagtail database search" if name == "wagtail" else f"{name} engine"
            write(f"{label:<40} {mrr:>12.3f} {success:>10.0%}")


class scored_engine:
    """The engine to score: the embedded index as it is, or a fresh cluster index."""

    def __init__(self, name):
        self.name = name
        self.cluster = None

    def __enter__(self):
        if self.name not in CLUSTER_ENGINES:
            return get_engine(self.name)
        from django.conf import settings

        from search.documents import all_documents
        from search.engines.cluster import ClusterEngine
        from search.engines.cluster.dialects import configured_dialect

        prefix = f"{settings.KB_SEARCH_INDEX_PREFIX}-relevance-{uuid.uuid4().hex[:8]}"
        self.cluster = ClusterEngine(configured_dialect(self.name), prefix=prefix)
        self.cluster.rebuild(all_documents())
        return self.cluster

    def __exit__(self, *exc):
        if self.cluster is not None:
            self.cluster.drop()

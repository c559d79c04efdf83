"""`manage.py search_relevance`: MRR and success@3 per judged query, ours next to Wagtail's."""

from django.core.management.base import BaseCommand

from search.engines import ENGINE_NAMES, get_engine
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
        parser.add_argument("--engine", choices=ENGINE_NAMES, help="Default: KB_SEARCH_ENGINE.")

    def handle(self, *args, **options):
        engine = get_engine(options.get("engine"))
        judgements = load_judgements()
        ours = evaluate(judgements, lambda q: engine_urls(engine, q))
        theirs = evaluate(judgements, wagtail_urls)
        write = self.stdout.write
        write(
            f"{'query':<40} {'kind':<22} {engine.name + ' RR':>12} {'@3':>3}  {'wagtail RR':>10} {'@3':>3}"
        )
        for mine, other in zip(ours, theirs, strict=True):
            kind = mine.judgement.kind.split(" (")[0]
            write(
                f"{mine.judgement.query[:40]:<40} {kind[:22]:<22} "
                f"{mine.reciprocal_rank:>12.2f} {'yes' if mine.success_at_3 else 'no':>3}  "
                f"{other.reciprocal_rank:>10.2f} {'yes' if other.success_at_3 else 'no':>3}"
            )
        our_mrr, our_success = summary(ours)
        their_mrr, their_success = summary(theirs)
        write("")
        write(f"{'overall':<63} {'MRR':>12} {'success@3':>10}")
        write(f"{engine.name + ' engine':<63} {our_mrr:>12.3f} {our_success:>10.0%}")
        write(f"{'wagtail database search':<63} {their_mrr:>12.3f} {their_success:>10.0%}")

"""`manage.py search_index rebuild|update|check`: build, refresh or audit the search index."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from search.documents import all_documents
from search.engines import ENGINE_NAMES, EngineUnavailable, IndexUnavailable, get_engine

logger = logging.getLogger("search.repair")


def local_index(engine):
    """The embedded index this server keeps: the engine itself, or the cluster's fallback."""
    local = engine.fallback or engine
    return local if local.name == "embedded" else None


def retry_interval(engine) -> float:
    """How long the cluster is left alone after a failure (the circuit breaker's interval)."""
    return engine.breaker.retry_after if engine.breaker is not None else 30.0


class Command(BaseCommand):
    help = (
        "rebuild: replace the index with every published page. "
        "update: index what is missing or changed and remove what is no longer published. "
        "check: compare the index with the published pages; exits 1 when they differ. "
        "ensure: compare, then repair: build the index when there is none or it is unreadable, "
        "re-send what is missing or changed, leave a complete index alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update", "check", "ensure"])
        parser.add_argument(
            "--engine", choices=ENGINE_NAMES, help="Default: the configured KB_SEARCH_ENGINE."
        )
        parser.add_argument(
            "--or-fallback",
            action="store_true",
            help="ensure, at start-up (serve-production): when the cluster cannot be reached, "
            "make this server's embedded index complete, warn, tell the web workers the cluster "
            "is down, and succeed, so the site serves search in reduced mode.",
        )
        parser.add_argument(
            "--wait-for-cluster",
            action="store_true",
            help="ensure, in the background: ask the cluster every check interval until it "
            "answers, then ensure its index and stop (started by gunicorn after --or-fallback).",
        )

    def handle(self, *args, action, engine=None, **options):
        self.verbosity = options["verbosity"]
        try:
            search_engine = get_engine(engine)
            if action == "ensure" and options["wait_for_cluster"]:
                return self.wait_then_ensure(search_engine)
            getattr(self, f"run_{action}")(search_engine)
        except EngineUnavailable as error:
            if action == "ensure" and options["or_fallback"] and local_index(search_engine):
                return self.serve_from_fallback(search_engine, error)
            raise CommandError(f"search engine unavailable: {error}") from None

    def serve_from_fallback(self, engine, error):
        """The cluster is down: the site still starts (or the load still ends), search in
        reduced mode from a complete embedded index."""
        self.run_ensure(local_index(engine))
        breaker = engine.breaker
        if breaker is not None:
            breaker.failed(error)  # every web worker knows at once (search.cluster_outage)
        logger.warning("search cluster unreachable at start-up; serving from the fallback")
        self.stderr.write(
            f"Warning: search engine unavailable: {error}\n"
            "Search answers from this server's embedded index, which is complete, in reduced "
            "mode (the page says so) until the cluster answers. Under `make serve-production` "
            f"the cluster is asked again every {retry_interval(engine):.0f} s, and once it "
            "answers its index is checked and repaired (`search_index ensure`)."
        )

    def wait_then_ensure(self, engine):
        """Ask the cluster every check interval; once it answers, ensure its index and stop."""
        breaker = engine.breaker
        while True:
            try:
                self.run_ensure(engine)
            except EngineUnavailable as error:
                if breaker is not None:
                    breaker.failed(error)
                time.sleep(retry_interval(engine))
                continue
            if breaker is not None:
                breaker.succeeded()  # the workers use the cluster again at once
            logger.warning("search cluster answered; its index was checked and repaired")
            return

    def say(self, message):
        if self.verbosity:
            self.stdout.write(message)

    def run_rebuild(self, engine):
        started = time.perf_counter()
        count = engine.rebuild(all_documents())
        seconds = time.perf_counter() - started
        self.say(f"Indexed {count} pages with the {engine.name} engine in {seconds:.2f}s.")
        self.catch_up(local_index(engine))

    def catch_up(self, local):
        """Pages published while the new file was built went to the old one: re-send them."""
        if local is None:
            return
        documents = list(all_documents())
        report = local.check(documents)
        changed = set(report.missing) | set(report.stale)
        local.index_documents([d for d in documents if d["id"] in changed])
        local.delete(report.orphaned)

    def repair_local_index(self, engine, documents):
        """Rebuild this server's embedded index if it is missing, corrupt or incomplete.

        Returns True when it was rebuilt. The scheduled `update` so heals a damaged file.
        """
        local = local_index(engine)
        if local is None:
            return False
        try:
            local.check(documents)
        except IndexUnavailable as error:
            logger.warning("search index repair: rebuilding the embedded index: %s", error)
            count = local.rebuild(documents)
            logger.warning("search index repair: rebuilt with %s documents", count)
            self.say(f"Rebuilt the embedded index ({count} pages): {error}")
            return True
        return False

    def run_update(self, engine):
        result = engine.replay_outbox()  # the cluster's failed updates; None without an outbox
        if result is not None:
            if result.error:  # the cluster is failing: drift repair could not reach it either
                raise EngineUnavailable(result.error)
            self.say(f"Replayed the outbox: {result.indexed} indexed, {result.deleted} removed.")
            if result.remaining:
                # Pages the cluster refused one by one (see the log and the outbox's
                # last_error); they stay queued and do not stop the drift repair below.
                self.stdout.write(
                    f"{result.remaining} page(s) left in the outbox "
                    f"({result.rejected} refused by the cluster in this replay)."
                )
        documents = list(all_documents())
        self.repair_local_index(engine, documents)
        self.repair(engine, documents, engine.check(documents))

    def repair(self, engine, documents, report):
        changed = set(report.missing) | set(report.stale)
        engine.index_documents([d for d in documents if d["id"] in changed])
        engine.delete(report.orphaned)
        if report.drift:
            logger.warning(
                "search index repair: %s missing, %s stale, %s orphaned (%s engine)",
                len(report.missing),
                len(report.stale),
                len(report.orphaned),
                engine.name,
            )
        self.say(
            f"Indexed {len(report.missing)} missing and {len(report.stale)} changed pages; "
            f"removed {len(report.orphaned)} no longer published ({engine.name} engine)."
        )

    def run_ensure(self, engine):
        """What `load_initial_data` runs: whatever happened before, leave the index complete.

        A load killed after its database commit leaves pages the index never heard of; a
        re-run of the load changes nothing in the database, so only this comparison finds them.
        """
        documents = list(all_documents())
        try:
            report = engine.check(documents)
        except IndexUnavailable as error:
            if local_index(engine) is not None and local_index(engine).path.exists():
                logger.warning("search index repair: rebuilding: %s", error)
            self.run_rebuild(engine)
            return
        if report.expected and not report.indexed:
            self.run_rebuild(engine)
        elif report.drift:
            self.repair(engine, documents, report)
        else:
            self.say(f"Search index complete: {report.expected} pages ({engine.name} engine).")

    def run_check(self, engine):
        report = engine.check(list(all_documents()))
        self.say(
            f"{engine.name} index: {report.indexed} documents; "
            f"{report.expected} published pages should be indexed."
        )
        for key, value in report.details.items():  # e.g. cluster health, alias, outbox
            self.say(f"  {key}: {value}")
        for label, ids in (
            ("missing (published, not indexed)", report.missing),
            ("stale (indexed copy differs from the page)", report.stale),
            ("orphaned (indexed, no longer published)", report.orphaned),
        ):
            if ids:
                shown = ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
                self.stdout.write(f"{len(ids)} {label}: page ids {shown}")
        if report.drift:
            raise CommandError("the search index has drifted; run `manage.py search_index update`")
        self.say("No drift.")

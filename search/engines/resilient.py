"""Elasticsearch with the embedded engine behind it, so search survives a cluster's bad day.

- Writes go to the embedded engine first (it is always current), then to Elasticsearch. A write
  Elasticsearch refuses or cannot receive is recorded in the outbox (search.models) by page id.
- Reads come from Elasticsearch. When it fails, the embedded engine answers and the response
  says so in `warnings`, which the page shows as a notice and the API returns as is.
- The outbox is replayed by `search_index update`, and by the first successful contact with the
  cluster after a failure (checked at most every REPLAY_CHECK_SECONDS per process).
- After a failure the cluster is left alone for RETRY_AFTER_SECONDS, so a dead cluster costs one
  timeout per process per interval instead of one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .base import CheckReport, EngineUnavailable, SearchEngine, SearchRequest, SearchResponse
from .elasticsearch import ElasticsearchEngine, FacetsIncomplete

logger = logging.getLogger(__name__)

FALLBACK_WARNING = (
    "Search is running in reduced mode: Elasticsearch is unavailable, so these results come "
    "from the built-in index."
)
RETRY_AFTER_SECONDS = 30.0
REPLAY_CHECK_SECONDS = 10.0
REPLAY_BATCH_SIZE = 200


class CircuitBreaker:
    """Per-process memory of a recent failure, shared by every engine for one cluster URL."""

    _by_url: dict[str, CircuitBreaker] = {}
    _lock = threading.Lock()

    def __init__(self, retry_after: float = RETRY_AFTER_SECONDS, clock=time.monotonic):
        self.retry_after = retry_after
        self.clock = clock
        self.open_until = 0.0
        self.last_error = ""
        self.next_replay_check = 0.0

    @classmethod
    def for_url(cls, url: str) -> CircuitBreaker:
        with cls._lock:
            return cls._by_url.setdefault(url, cls())

    def allows_request(self) -> bool:
        return self.clock() >= self.open_until

    def failed(self, error: Exception) -> None:
        self.open_until = self.clock() + self.retry_after
        self.last_error = str(error)

    def succeeded(self) -> bool:
        """Close the breaker; True when it is time to look at the outbox again."""
        recovering = bool(self.last_error)
        self.open_until = 0.0
        self.last_error = ""
        now = self.clock()
        if recovering or now >= self.next_replay_check:
            self.next_replay_check = now + REPLAY_CHECK_SECONDS
            return True
        return False


# --- the outbox ----------------------------------------------------------------------------------


def record_failed_update(page_ids, action: str, error: str) -> None:
    """Remember pages whose Elasticsearch copy is out of date (one row per page)."""
    from search.models import SearchOutboxEntry

    for page_id in {int(page_id) for page_id in page_ids}:
        fields = {"action": action, "last_error": error[:2000], "updated_at": timezone.now()}
        updated = SearchOutboxEntry.objects.filter(page_id=page_id).update(
            attempts=F("attempts") + 1, **fields
        )
        if not updated:
            try:
                with transaction.atomic():
                    SearchOutboxEntry.objects.create(page_id=page_id, **fields)
            except IntegrityError:  # another process recorded it first
                SearchOutboxEntry.objects.filter(page_id=page_id).update(
                    attempts=F("attempts") + 1, **fields
                )


@dataclass
class ReplayResult:
    indexed: int = 0
    deleted: int = 0
    remaining: int = 0
    error: str = ""


# --- the engine ----------------------------------------------------------------------------------


class ResilientEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(
        self,
        primary: ElasticsearchEngine,
        fallback: SearchEngine,
        breaker: CircuitBreaker | None = None,
    ):
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker or CircuitBreaker.for_url(primary.url)

    # -- reading --------------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResponse:
        if self.breaker.allows_request():
            try:
                response = self.primary.search(request)
            except Exception as error:  # noqa: BLE001 - any failure means: answer from the fallback
                self._failed("search", error)
            else:
                self._succeeded()
                return response
        response = self.fallback.search(request)
        response.warnings.append(FALLBACK_WARNING)
        return response

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        if self.breaker.allows_request():
            try:
                titles = self.primary.suggest(prefix, limit)
            except Exception as error:  # noqa: BLE001
                self._failed("suggest", error)
            else:
                self._succeeded()
                return titles
        return self.fallback.suggest(prefix, limit)

    def explain(self, request: SearchRequest) -> dict:
        """Elasticsearch's request body; building it never contacts the cluster."""
        return self.primary.explain(request)

    # -- writing --------------------------------------------------------------------------------

    def index_documents(self, documents: list[dict]) -> None:
        documents = list(documents)
        self.fallback.index_documents(documents)
        ids = [document["id"] for document in documents]
        self._write("index", ids, lambda: self.primary.index_documents(documents))

    def delete(self, ids: list[int]) -> None:
        ids = list(ids)
        self.fallback.delete(ids)
        self._write("delete", ids, lambda: self.primary.delete(ids))

    def _write(self, action: str, ids: list[int], send) -> None:
        if not ids:
            return
        if not self.breaker.allows_request():
            record_failed_update(
                ids, action, f"not sent, cluster failing: {self.breaker.last_error}"
            )
            return
        try:
            send()
        except EngineUnavailable as error:
            self._failed(action, error)
            record_failed_update(ids, action, str(error))
        else:
            self._succeeded()

    def rebuild(self, documents) -> int:
        """Rebuild both indexes from one snapshot, then catch up with edits made meanwhile.

        Raises EngineUnavailable (one line, naming the URL) when Elasticsearch cannot be
        rebuilt; the embedded index is rebuilt first either way, so the fallback stays current.
        """
        from search.documents import all_documents

        snapshot = list(documents)
        self.fallback.rebuild(snapshot)
        count = self.primary.rebuild(snapshot)
        self._succeeded(replay=False)
        # Pages published, changed or withdrawn while the new index loaded went to the old one.
        before = {document["id"]: document for document in snapshot}
        now = list(all_documents())
        changed = [document for document in now if before.get(document["id"]) != document]
        gone = sorted(set(before) - {document["id"] for document in now})
        if changed:
            self.index_documents(changed)
        if gone:
            self.delete(gone)
        self.replay_outbox()
        return count

    # -- the outbox -----------------------------------------------------------------------------

    def replay_outbox(self, batch_size: int = REPLAY_BATCH_SIZE) -> ReplayResult:
        """Bring Elasticsearch up to date for every page in the outbox, from the database."""
        from search.documents import current_documents
        from search.models import SearchOutboxEntry

        result = ReplayResult()
        while True:
            entries = list(SearchOutboxEntry.objects.order_by("updated_at", "pk")[:batch_size])
            if not entries:
                return result
            documents, gone = current_documents(entry.page_id for entry in entries)
            try:
                self.primary.index_documents(documents)
                self.primary.delete(gone)
            except EngineUnavailable as error:
                self._failed("replay", error)
                for entry in entries:
                    SearchOutboxEntry.objects.filter(
                        pk=entry.pk, updated_at=entry.updated_at
                    ).update(attempts=F("attempts") + 1, last_error=str(error)[:2000])
                result.error = str(error)
                result.remaining = SearchOutboxEntry.objects.count()
                return result
            result.indexed += len(documents)
            result.deleted += len(gone)
            for entry in entries:
                # Only if untouched since read: a failure recorded meanwhile must stay.
                SearchOutboxEntry.objects.filter(pk=entry.pk, updated_at=entry.updated_at).delete()
            if len(entries) < batch_size:
                result.remaining = SearchOutboxEntry.objects.count()
                return result

    def pending_updates(self) -> int:
        from search.models import SearchOutboxEntry

        return SearchOutboxEntry.objects.count()

    # -- checking -------------------------------------------------------------------------------

    def check(self, documents: list[dict]) -> CheckReport:
        """Elasticsearch's drift and cluster state, plus the fallback's drift and the outbox.

        Drift in either index counts, so `search_index update` repairs both. Raises
        EngineUnavailable when the cluster cannot be checked: a check must not report "no
        drift" for an index it could not read.
        """
        documents = list(documents)
        report = self.primary.check(documents)
        fallback = self.fallback.check(documents)
        report.missing = sorted(set(report.missing) | set(fallback.missing))
        report.stale = sorted(set(report.stale) | set(fallback.stale))
        report.orphaned = sorted(set(report.orphaned) | set(fallback.orphaned))
        report.details["pending outbox updates"] = self.pending_updates()
        report.details["fallback index"] = f"{fallback.indexed} documents, " + (
            "drifted" if fallback.drift else "current"
        )
        return report

    # -- bookkeeping ----------------------------------------------------------------------------

    def _failed(self, action: str, error: Exception) -> None:
        self.breaker.failed(error)
        consequence = (
            "answering from the embedded engine"
            if action in ("search", "suggest")
            else "kept in the search outbox"
        )
        if isinstance(error, FacetsIncomplete) or not isinstance(error, EngineUnavailable):
            logger.error("elasticsearch %s failed; %s", action, consequence, exc_info=error)
        else:
            logger.warning("elasticsearch %s failed; %s: %s", action, consequence, error)

    def _succeeded(self, replay: bool = True) -> None:
        if self.breaker.succeeded() and replay and self.pending_updates():
            result = self.replay_outbox()
            logger.warning(
                "replayed the search outbox after recovery: %s indexed, %s deleted, %s remaining",
                result.indexed,
                result.deleted,
                result.remaining,
            )


def build_elasticsearch_engine() -> ResilientEngine:
    """The engine for KB_SEARCH_ENGINE=elasticsearch (see search/engines/__init__.py)."""
    from .embedded import EmbeddedEngine

    return ResilientEngine(
        primary=ElasticsearchEngine.from_settings(),
        fallback=EmbeddedEngine(settings.KB_SEARCH_INDEX_PATH),
    )

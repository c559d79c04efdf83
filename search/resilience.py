"""The cluster engine with the embedded engine behind it, so search survives a cluster's bad day.

The same for OpenSearch and Elasticsearch: nothing here depends on the server.

- Writes go to the embedded engine first (it is always current), then to the cluster. A write
  the cluster refuses or cannot receive, for whatever reason, is recorded in the outbox
  (search.models) by page id.
- Reads come from the cluster. When it fails, the embedded engine answers and the response
  says so in `warnings`, which the page shows as a notice and the API returns as is.
- The outbox is replayed in full by `search_index update`. A successful contact with the cluster
  (at most every REPLAY_CHECK_SECONDS per process) also replays one batch of it; any error there
  is logged and never changes the answer the request was given.
- After a failure the cluster is left alone for RETRY_AFTER_SECONDS, and every process on the
  server knows it (search.cluster_outage), so a dead cluster costs one timeout per interval
  instead of one per request or per process. A document the cluster refuses
  on its own (a 4xx item, e.g. a field it cannot parse) is not a cluster failure: the page stays
  in the outbox, moved to the back, and everything else goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from search import policy
from search.cluster_outage import SharedOutage
from search.documents import all_documents, current_documents
from search.engines.base import (
    CheckReport,
    EngineUnavailable,
    SearchEngine,
    SearchRequest,
    SearchResponse,
)
from search.engines.cluster import ClusterEngine, DocumentsRejected, FacetsIncomplete
from search.engines.embedded import EmbeddedEngine
from search.models import SearchOutboxEntry

logger = logging.getLogger(__name__)

FALLBACK_WARNING = policy.FALLBACK_NOTICE
RETRY_AFTER_SECONDS = 30.0
REPLAY_CHECK_SECONDS = 10.0
REPLAY_BATCH_SIZE = 200


class CircuitBreaker:
    """Memory of a recent failure, shared by every engine for one cluster URL in a process and,
    through `shared` (search.cluster_outage), by every process on the server."""

    _by_url: dict[str, CircuitBreaker] = {}
    _lock = threading.Lock()

    def __init__(
        self,
        retry_after: float = RETRY_AFTER_SECONDS,
        clock=time.monotonic,
        shared: SharedOutage | None = None,
    ):
        self.retry_after = retry_after
        self.clock = clock
        self.shared = shared
        self.open_until = 0.0
        self.last_error = ""
        self.next_replay_check = 0.0

    @classmethod
    def for_url(cls, url: str) -> CircuitBreaker:
        with cls._lock:
            if url not in cls._by_url:
                cls._by_url[url] = cls(shared=SharedOutage.configured(url))
            return cls._by_url[url]

    def is_open(self) -> bool:
        """Whether the cluster is being left alone now; asks nobody, claims nothing."""
        if self.clock() < self.open_until:
            return True
        down = self.shared.down() if self.shared else None
        return down is not None and down[0] > 0

    def allows_request(self) -> bool:
        """May this request contact the cluster? Once a shared outage's interval is over, only
        the process holding the probe lock may; the others keep to the fallback meanwhile."""
        if self.clock() < self.open_until:
            return False
        down = self.shared.down() if self.shared else None
        if down is None:
            return True
        wait, error = down
        if wait > 0:
            self.open_until = self.clock() + wait
            self.last_error = self.last_error or error
            return False
        return self.shared.claim_probe()

    def failed(self, error: Exception) -> None:
        self.open_until = self.clock() + self.retry_after
        self.last_error = str(error)
        if self.shared:
            self.shared.record(self.last_error, self.retry_after)

    def succeeded(self) -> bool:
        """Close the breaker; True when it is time to look at the outbox again."""
        recovering = bool(self.last_error)
        if self.shared and (recovering or self.shared.probing):
            self.shared.clear()
        self.open_until = 0.0
        self.last_error = ""
        now = self.clock()
        if recovering or now >= self.next_replay_check:
            self.next_replay_check = now + REPLAY_CHECK_SECONDS
            return True
        return False


# --- the outbox ----------------------------------------------------------------------------------


def record_failed_update(page_ids, action: str, error: str) -> None:
    """Remember pages whose cluster copy is out of date (one row per page).

    An existing row counts one more attempt and moves to the back of the queue (updated_at).
    """
    page_ids = {int(page_id) for page_id in page_ids}
    if not page_ids:
        return
    fields = {"action": action, "last_error": error[:2000], "updated_at": timezone.now()}
    SearchOutboxEntry.objects.filter(page_id__in=page_ids).update(
        attempts=F("attempts") + 1, **fields
    )
    # Rows that did not exist yet; a row another process created meanwhile is kept as it is.
    SearchOutboxEntry.objects.bulk_create(
        [SearchOutboxEntry(page_id=page_id, **fields) for page_id in sorted(page_ids)],
        ignore_conflicts=True,
    )


@dataclass
class ReplayResult:
    indexed: int = 0
    deleted: int = 0
    rejected: int = 0  # refused by the cluster document by document; kept in the outbox
    remaining: int = 0
    error: str = ""  # the cluster failed; the batch stays in the outbox


# --- the engine ----------------------------------------------------------------------------------


class ResilientEngine(SearchEngine):
    def __init__(
        self,
        primary: ClusterEngine,
        fallback: SearchEngine,
        breaker: CircuitBreaker | None = None,
    ):
        self.primary = primary
        self.name = primary.name
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

    def health(self) -> dict:
        """The fallback's count and whether the cluster is in use; never contacts the cluster."""
        return {
            **self.fallback.health(),
            "cluster": "failing, using fallback" if self.breaker.is_open() else "in use",
        }

    def explain(self, request: SearchRequest) -> dict:
        """The cluster's request body; building it never contacts the cluster."""
        return self.primary.explain(request)

    # -- writing --------------------------------------------------------------------------------

    def index_documents(self, documents: list[dict]) -> None:
        documents = list(documents)
        self._write_fallback("index", lambda: self.fallback.index_documents(documents))
        ids = [document["id"] for document in documents]
        self._write("index", ids, lambda: self.primary.index_documents(documents))

    def delete(self, ids: list[int]) -> None:
        ids = list(ids)
        self._write_fallback("delete", lambda: self.fallback.delete(ids))
        self._write("delete", ids, lambda: self.primary.delete(ids))

    def _write_fallback(self, action: str, send) -> None:
        """The local index first; its failure must not keep the update from the cluster.

        A fallback index that missed an update is repaired by the scheduled
        `search_index update --engine embedded` (its drift check compares checksums).
        """
        try:
            send()
        except Exception as error:  # noqa: BLE001 - e.g. a full disk or a locked SQLite file
            logger.error(
                "fallback index %s failed; the cluster is still updated: %s",
                action,
                error,
                exc_info=error,
            )

    def _write(self, action: str, ids: list[int], send, replay: bool = True) -> None:
        if not ids:
            return
        if not self.breaker.allows_request():
            record_failed_update(
                ids, action, f"not sent, cluster failing: {self.breaker.last_error}"
            )
            return
        try:
            send()
        except DocumentsRejected as error:
            # The cluster answered and took the rest: no fallback, the breaker stays closed.
            self._succeeded(replay)  # before recording: a replay now would be refused again
            logger.error("%s %s: %s; kept in the search outbox", self.name, action, error)
            for page_id, reason in error.rejected.items():
                record_failed_update([page_id], action, reason)
        except Exception as error:  # noqa: BLE001 - whatever the cause, the page is kept
            self._failed(action, error)
            record_failed_update(ids, action, str(error) or type(error).__name__)
        else:
            self._succeeded(replay)

    def rebuild(self, documents) -> int:
        """Rebuild both indexes from one snapshot, then catch up with edits made meanwhile.

        Raises EngineUnavailable (one line, naming the URL) when the cluster cannot be
        rebuilt; the embedded index is rebuilt first either way, so the fallback stays current.
        """
        version = self.primary.version_now()  # taken before the snapshot is read
        snapshot = list(documents)
        self.fallback.rebuild(snapshot)
        count = self.primary.rebuild(snapshot, version=version)
        self._succeeded(replay=False)
        # Pages published, changed or withdrawn while the new index loaded went to the old one.
        # The fallback has them already (live writes reach it first); only the cluster needs
        # them, and the outbox is replayed once, below.
        before = {document["id"]: document for document in snapshot}
        now = list(all_documents())
        changed = [document for document in now if before.get(document["id"]) != document]
        gone = sorted(set(before) - {document["id"] for document in now})
        ids = [document["id"] for document in changed]
        self._write("index", ids, lambda: self.primary.index_documents(changed), replay=False)
        self._write("delete", gone, lambda: self.primary.delete(gone), replay=False)
        self.replay_outbox()
        return count

    # -- the outbox -----------------------------------------------------------------------------

    def replay_outbox(
        self, batch_size: int | None = None, max_batches: int | None = None
    ) -> ReplayResult:
        """Bring the cluster up to date for the pages in the outbox, from the database.

        Rows recorded before the replay started are taken in order (oldest attempt first), a
        batch at a time, each batch claimed with SELECT ... FOR UPDATE SKIP LOCKED so two
        replays never send the same rows (on SQLite, which has no row locks, writes are
        serialised anyway). Per row: done -> deleted; refused by the cluster on its own ->
        kept with one more attempt and moved to the back; cluster failing -> the batch is kept
        and the replay stops.
        """
        batch_size = batch_size or REPLAY_BATCH_SIZE
        result = ReplayResult()
        started = timezone.now()
        batches = 0
        while max_batches is None or batches < max_batches:
            batches += 1
            with transaction.atomic():
                entries = list(
                    SearchOutboxEntry.objects.select_for_update(skip_locked=True)
                    .filter(updated_at__lte=started)
                    .order_by("updated_at", "pk")[:batch_size]
                )
                if not entries:
                    break
                if not self._replay_batch(entries, result):
                    break
            if len(entries) < batch_size:
                break
        result.remaining = SearchOutboxEntry.objects.count()
        return result

    def _replay_batch(self, entries, result: ReplayResult) -> bool:
        """Send one claimed batch and settle its rows; False when the cluster failed."""
        last_read = max(entry.updated_at for entry in entries)
        # Only rows untouched since they were read: a failure recorded meanwhile must stay.
        untouched = SearchOutboxEntry.objects.filter(updated_at__lte=last_read)
        # The version is taken before reading, so it is never newer than the state read: a live
        # write of a newer state (versioned when sent) wins even if this batch arrives later.
        version = self.primary.version_now()
        documents, gone = current_documents(entry.page_id for entry in entries)
        try:
            rejected = self.primary.write(documents, gone, version=version)
        except Exception as error:  # noqa: BLE001 - whatever the cause, the batch is kept
            self._failed("replay", error)
            untouched.filter(pk__in=[entry.pk for entry in entries]).update(
                attempts=F("attempts") + 1, last_error=str(error)[:2000], updated_at=timezone.now()
            )
            result.error = str(error)
            return False
        self.breaker.succeeded()
        untouched.filter(
            pk__in=[entry.pk for entry in entries if entry.page_id not in rejected]
        ).delete()
        if rejected:
            logger.error(
                "%s refused %s outbox page(s) on replay; kept in the outbox: %s",
                self.name,
                len(rejected),
                "; ".join(f"page {page_id}: {reason}" for page_id, reason in rejected.items()),
            )
            indexed = {document["id"] for document in documents}
            by_outcome: dict[tuple[str, str], list[int]] = {}
            for page_id, reason in rejected.items():
                action = "index" if page_id in indexed else "delete"
                by_outcome.setdefault((action, reason[:2000]), []).append(page_id)
            for (action, reason), page_ids in by_outcome.items():  # usually one reason
                untouched.filter(page_id__in=page_ids).update(
                    attempts=F("attempts") + 1,
                    action=action,
                    last_error=reason,
                    updated_at=timezone.now(),
                )
        result.indexed += sum(1 for document in documents if document["id"] not in rejected)
        result.deleted += sum(1 for page_id in gone if page_id not in rejected)
        result.rejected += len(rejected)
        return True

    def pending_updates(self) -> int:
        return SearchOutboxEntry.objects.count()

    # -- checking -------------------------------------------------------------------------------

    def check(self, documents: list[dict]) -> CheckReport:
        """The cluster's drift and state, plus the fallback's drift and the outbox.

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
            logger.error("%s %s failed; %s", self.name, action, consequence, exc_info=error)
        else:
            logger.warning("%s %s failed; %s: %s", self.name, action, consequence, error)

    def _succeeded(self, replay: bool = True) -> None:
        """Close the breaker; now and then replay one outbox batch, never failing the caller."""
        if not (self.breaker.succeeded() and replay):
            return
        try:
            if not self.pending_updates():
                return
            result = self.replay_outbox(max_batches=1)
        except Exception as error:  # noqa: BLE001 - the caller's answer is already good
            logger.error("replaying the search outbox failed: %s", error, exc_info=error)
            return
        if result.indexed or result.deleted or result.rejected:
            logger.warning(
                "replayed a batch of the search outbox: %s indexed, %s deleted, %s refused, "
                "%s remaining",
                result.indexed,
                result.deleted,
                result.rejected,
                result.remaining,
            )


def build_cluster_engine(server: str) -> ResilientEngine:
    """The engine for KB_SEARCH_ENGINE=opensearch or elasticsearch (search/engines/__init__.py)."""
    return ResilientEngine(
        primary=ClusterEngine.from_settings(server),
        fallback=EmbeddedEngine(settings.KB_SEARCH_INDEX_PATH),
    )

"""The cluster engine: the search contract answered by OpenSearch 3 or Elasticsearch 8.

One engine for both servers. It runs the shared search flow (SearchEngine.search) and
translates each plan into one request body (query.py) and the answer back (response.py); the
mapping and analysis are mapping.py. Everything that differs between the servers (client,
timeouts, error types, response shapes, refused parameters, the wildcard delete) is in
dialects.py, and this module only calls a dialect's methods.

Reads and writes go through an alias (the index prefix, e.g. `kb-production`). A rebuild loads
a fresh versioned index (`kb-production-20250101120000000000`) and moves the alias to it in one
`update_aliases` call, so searches never see a half-built index. Every failure to reach or use
the cluster is raised as `ClusterError` (an `EngineUnavailable`) with the server and URL in its
message; the resilient wrapper (search/resilience.py) turns that into a fallback answer and an outbox
entry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings

from search import policy
from search.engines.base import CheckReport, SearchEngine, SearchRequest
from search.query.plan import plan_query
from search.query.spelling import SpellingRules

from .dialects import ClusterError, Dialect, bulk_reason, configured_dialect
from .mapping import index_body, to_source
from .query import build_autocomplete, build_search, frequencies_body
from .response import (
    FacetsTruncated,
    parse_autocomplete,
    parse_frequencies,
    parse_response,
    unknown_selections,
)

logger = logging.getLogger(__name__)

BULK_CHUNK_SIZE = 500
VERSION_SUFFIX = re.compile(r"^\d{20}$")  # %Y%m%d%H%M%S%f
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
VERSION_CONFLICT = "version_conflict_engine_exception"


class FacetsIncomplete(ClusterError):
    """A terms aggregation left values out, so facet counts would silently be wrong."""


class DocumentsRejected(ClusterError):
    """The cluster answered, took every other document, and refused these (page id -> reason).

    A document-level refusal (e.g. a field the mapping cannot parse): the cluster is fine, so
    callers keep these pages in the outbox without treating the cluster as down.
    """

    def __init__(self, message: str, rejected: dict[int, str]):
        super().__init__(message)
        self.rejected = rejected


# Item statuses that say nothing about one document but about the cluster, the alias or the
# credentials, so every other document would fail too: 401/403 (credentials, index blocks),
# 404 (no index behind the alias), 408 and 429 (overloaded), and every 5xx.
CLUSTER_ITEM_STATUSES = frozenset({401, 403, 404, 408, 429})


class ClusterEngine(SearchEngine):
    """The engine for any server a dialect speaks to (see dialects.py)."""

    def __init__(
        self,
        dialect: Dialect,
        *,
        prefix: str,
        spelling_rules: Callable[[], SpellingRules] = SpellingRules.current,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.dialect = dialect
        self.name = dialect.name
        self.url = dialect.url
        self.alias = prefix
        self._spelling_rules = spelling_rules
        self._clock = clock

    @classmethod
    def from_settings(cls, server: str) -> ClusterEngine:
        return cls(configured_dialect(server), prefix=settings.KB_SEARCH_INDEX_PREFIX)

    def _cluster(self, action: str):
        return self.dialect.translated(action)

    def _error(self, message: str) -> ClusterError:
        return ClusterError(f"{self.dialect.label} at {self.url} {message}")

    # -- searching ------------------------------------------------------------------------------

    @property
    def thesaurus(self):
        return self._spelling_rules().thesaurus

    def explain(self, request: SearchRequest) -> dict:
        """The exact body `search` sends first, without contacting the cluster."""
        rules = self._spelling_rules()
        return build_search(request, plan_query(request.query, rules.thesaurus), rules).to_dict()

    # The steps of the shared flow (SearchEngine.search): one request answers with hits,
    # counts, the suggester's correction and which selected values exist, so unknown values
    # are learnt from the answer, and the correction is the answer's own.

    def concept_frequencies(self, reader, plan):
        if len(plan.meaningful) < 2:
            return None  # nothing to leave out: one concept is matched or not
        with self._cluster("counting pages per concept"):
            raw = self.dialect.search(self.alias, frequencies_body(plan))
        try:
            return parse_frequencies(plan, raw)
        except (KeyError, TypeError, ValueError) as error:
            raise self._error(f"answered a count in an unexpected shape: {error}") from error

    def answer(self, reader, request: SearchRequest, plan):
        rules = self._spelling_rules()
        body = build_search(request, plan, rules).to_dict()
        with self._cluster("searching"):
            raw = self.dialect.search(self.alias, body)
        try:
            unknown = unknown_selections(request, raw)
            response = parse_response(request, raw, plan, rules, unknown)
        except FacetsTruncated as error:
            raise FacetsIncomplete(f"{self.dialect.label} at {self.url}: {error}") from error
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise self._error(
                f"answered a search in an unexpected shape: {type(error).__name__}: {error}"
            ) from error
        return response, unknown

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        search = build_autocomplete(prefix, limit)
        if search is None:
            return []
        with self._cluster("suggesting titles"):
            raw = self.dialect.search(self.alias, search.to_dict())
        try:
            return parse_autocomplete(raw)
        except (KeyError, TypeError) as error:
            raise self._error(f"answered suggestions in an unexpected shape: {error}") from error

    # -- live updates ---------------------------------------------------------------------------

    def version_now(self) -> int:
        """A write's version: microseconds since the epoch (see `write`)."""
        return (self._clock() - EPOCH) // timedelta(microseconds=1)

    def index_documents(self, documents: list[dict], version: int | None = None) -> None:
        self._raise_rejected(self.write(documents, (), version=version), "indexing")

    def delete(self, ids: list[int], version: int | None = None) -> None:
        self._raise_rejected(self.write((), ids, version=version), "deleting")

    def write(
        self, documents: Iterable[dict], delete_ids: Iterable[int], version: int | None = None
    ) -> dict[int, str]:
        """Index these documents and delete these ids through the alias in one bulk request.

        Every item carries `version` with `version_type: external_gte`: a time no later than
        the moment the state was read from the database (a replay takes it before reading; a
        live write, by default, when it is sent). The server keeps the highest version per
        document, including a deleted one's, so a replay of an older state that arrives after a
        newer live write is refused with 409, which counts as done: the newer state is there.

        Items are judged one by one: a success, a 409 version conflict, or deleting a document
        that is not there, is done; a document-level refusal (4xx other than
        CLUSTER_ITEM_STATUSES) is returned as page id -> reason; any other failure raises
        ClusterError (the cluster is failing).
        """
        versioned = {
            "version": self.version_now() if version is None else version,
            "version_type": "external_gte",
        }
        actions = [
            {
                "_op_type": "index",
                "_index": self.alias,
                "_id": str(document["id"]),
                "_source": to_source(document),
                **versioned,
            }
            for document in documents
        ] + [
            {"_op_type": "delete", "_index": self.alias, "_id": str(page_id), **versioned}
            for page_id in delete_ids
        ]
        if not actions:
            return {}
        rejected: dict[int, str] = {}
        failed: list[dict] = []
        with self._cluster("updating documents"):
            # require_alias: never let a write auto-create a concrete index under the alias name,
            # which would block the first rebuild from creating the alias.
            for _ok, item in self.dialect.streaming_bulk(
                actions, chunk_size=BULK_CHUNK_SIZE, refresh="wait_for", require_alias=True
            ):
                if not isinstance(item, dict) or len(item) != 1:
                    raise self._error(f"answered a bulk item in an unexpected shape: {item!r}")
                ((op, result),) = item.items()
                outcome = _item_outcome(op, result)
                if outcome == "rejected":
                    rejected[int(result["_id"])] = bulk_reason(item)
                elif outcome == "failed":
                    failed.append(item)
        if failed:
            raise self._error(
                f"rejected {len(failed)} document(s) while updating documents: "
                f"{bulk_reason(failed[0])}"
            )
        return rejected

    def _raise_rejected(self, rejected: dict[int, str], action: str) -> None:
        if rejected:
            first = next(iter(rejected.values()))
            raise DocumentsRejected(
                f"{self.dialect.label} at {self.url} rejected {len(rejected)} document(s) while "
                f"{action} (page ids {', '.join(map(str, sorted(rejected)))}): {first}",
                rejected,
            )

    # -- rebuild --------------------------------------------------------------------------------

    def new_index_name(self) -> str:
        return f"{self.alias}-{self._clock():%Y%m%d%H%M%S%f}"

    def is_versioned_index(self, name: str) -> bool:
        prefix = f"{self.alias}-"
        return name.startswith(prefix) and bool(VERSION_SUFFIX.match(name[len(prefix) :]))

    def rebuild(self, documents: Iterable[dict], version: int | None = None) -> int:
        """Load a new versioned index, then point the alias at it in one atomic call.

        A failure before the swap deletes the half-built index. A failed or timed-out swap may
        still have been applied, so the alias is read again: an index the alias points to is
        never deleted, and a swap that did happen counts as done. Removing older indices
        afterwards is best effort: it is logged, never fails a rebuild that went live.
        """
        name = self.new_index_name()
        with self._cluster(f"creating index {name}"):
            self.dialect.create_index(name, index_body())
        try:
            count = self._load(name, documents, version)
        except BaseException:
            self._discard_unless_live(name)
            raise
        try:
            with self._cluster(f"moving alias {self.alias} to {name}"):
                self.dialect.update_aliases(self._swap_actions(name))
        except Exception as error:
            if self._discard_unless_live(name) != "live":
                raise
            logger.warning(
                "the alias %s was moved to %s although the request reported: %s",
                self.alias,
                name,
                error,
            )
        except BaseException:
            self._discard_unless_live(name)
            raise
        try:
            self._delete_old_indices(keep=name)
        except Exception as error:  # noqa: BLE001 - the new index is live; leftovers are harmless
            logger.warning(
                "rebuild of %s done, but older indices were not removed: %s", name, error
            )
        return count

    def _discard_unless_live(self, name: str) -> str:
        """Delete a new index unless the alias points to it: "live", "deleted" or "unknown"."""
        try:
            with self._cluster("reading the alias"):
                holders = self.dialect.alias_holders(self.alias)
        except Exception as error:  # noqa: BLE001 - the cluster may be gone; then keep it
            logger.warning(
                "could not tell whether %s holds the alias %s (%s); left in place, the next "
                "rebuild removes it if it is not live",
                name,
                self.alias,
                error,
            )
            return "unknown"
        if name in holders:
            return "live"
        try:  # best effort: the cluster may be gone
            with self._cluster(f"deleting index {name}"):
                self.dialect.delete_indices([name])
        except Exception as error:  # noqa: BLE001
            logger.warning("could not delete the unfinished index %s: %s", name, error)
        return "deleted"

    def _load(self, name: str, documents: Iterable[dict], version: int | None = None) -> int:
        versioned = {
            "version": self.version_now() if version is None else version,
            "version_type": "external_gte",
        }
        with self._cluster(f"loading index {name}"):
            self.dialect.put_settings(name, {"refresh_interval": "-1"})
            count = self.dialect.bulk_load(
                (
                    {
                        "_index": name,
                        "_id": str(doc["id"]),
                        "_source": to_source(doc),
                        **versioned,
                    }
                    for doc in documents
                ),
                chunk_size=BULK_CHUNK_SIZE,
            )
            self.dialect.put_settings(name, {"refresh_interval": None})
            self.dialect.refresh(name)
            stored = self.dialect.count(name)
        if stored != count:
            raise self._error(
                f"holds {stored} documents in {name} after loading {count}; the alias was not moved"
            )
        return count

    def _swap_actions(self, new_index: str) -> list[dict]:
        """One atomic list: take the alias off every index, put it on the new one.

        A concrete index squatting on the alias name (created by a write before any alias
        existed) is removed in the same call, since an alias cannot share a name with an index.
        """
        holders = self.dialect.alias_holders(self.alias)
        actions: list[dict] = [
            {"remove": {"index": index, "alias": self.alias}} for index in holders
        ]
        if not holders and self.dialect.index_exists(self.alias):
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        return actions

    def _delete_old_indices(self, keep: str) -> list[str]:
        """Delete versioned indices older than `keep` that the alias does not point to.

        Newer ones are left alone: they belong to a rebuild running at the same time.
        """
        with self._cluster(f"listing indices {self.alias}-*"):
            names = self.dialect.indices_matching(f"{self.alias}-*")
            holders = set(self.dialect.alias_holders(self.alias))
        old = sorted(
            n for n in names if self.is_versioned_index(n) and n < keep and n not in holders
        )
        if old:
            with self._cluster("deleting old indices"):
                self.dialect.delete_indices(old)
        return old

    def drop(self) -> list[str]:
        """Delete every versioned index of this prefix, by name (tests and teardown)."""
        with self._cluster(f"deleting indices {self.alias}-*"):
            names = [
                n
                for n in self.dialect.indices_matching(f"{self.alias}-*")
                if self.is_versioned_index(n)
            ]
            self.dialect.delete_indices(names)
        return names

    # -- checking -------------------------------------------------------------------------------

    def check(self, documents: list[dict]) -> CheckReport:
        """Drift between the published pages and the index, plus the cluster's own state."""
        expected = {int(doc["id"]): policy.checksum(doc) for doc in documents}
        with self._cluster("checking the index"):
            health = self.dialect.health()
            holders = self.dialect.alias_holders(self.alias)
            indexed = {}
            if holders:
                # Only the stored checksum: a document written before the field existed has
                # none, counts as stale, and is rewritten by `search_index update`.
                indexed = {
                    int(hit["_id"]): (hit.get("_source") or {}).get("checksum")
                    for hit in self.dialect.scan(self.alias, {**MATCH_ALL, "_source": ["checksum"]})
                }
        missing = sorted(set(expected) - set(indexed))
        orphaned = sorted(set(indexed) - set(expected))
        stale = sorted(
            page_id
            for page_id in set(expected) & set(indexed)
            if expected[page_id] != indexed[page_id]
        )
        return CheckReport(
            engine=self.name,
            indexed=len(indexed),
            expected=len(expected),
            missing=missing,
            stale=stale,
            orphaned=orphaned,
            details={
                "server": self.dialect.label,
                "url": self.url,
                "cluster": health.get("cluster_name"),
                "cluster health": health.get("status"),
                "nodes": health.get("number_of_nodes"),
                "alias": self.alias,
                "alias points to": ", ".join(holders)
                or "nothing (run: manage.py search_index rebuild)",
                "documents in alias": len(indexed),
            },
        )


MATCH_ALL = {"query": {"match_all": {}}}


def _item_outcome(op: str, result: dict) -> str:
    """ "done", "rejected" (this document only) or "failed" (the cluster) for one bulk item."""
    status = int(result.get("status", 500))
    if 200 <= status < 300:
        return "done"
    if op == "delete" and status == 404 and result.get("result") == "not_found":
        return "done"  # already gone; an index_not_found_exception has no "result"
    if status == 409 and (result.get("error") or {}).get("type") == VERSION_CONFLICT:
        return "done"  # a newer state of this page is already there
    if 400 <= status < 500 and status not in CLUSTER_ITEM_STATUSES:
        return "rejected"
    return "failed"

"""The Elasticsearch engine: the search contract answered by an Elasticsearch 8 cluster.

Reads and writes go through an alias (the index prefix, e.g. `kb-production`). A rebuild loads
a fresh versioned index (`kb-production-20250101120000000000`) and moves the alias to it in one
`update_aliases` call, so searches never see a half-built index. Every failure to reach or use
the cluster is raised as `EngineUnavailable` with the URL in its message; the resilient wrapper
(resilient.py) turns that into a fallback answer and an outbox entry.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from elasticsearch import ApiError, Elasticsearch, TransportError, helpers
from elasticsearch.dsl import Search

from search.facets import FACETS_BY_NAME

from . import es_query
from .base import CheckReport, EngineUnavailable, SearchEngine, SearchRequest, SearchResponse
from .embedded import checksum, partial_matches
from .es_schema import index_body, to_source

# elastic_transport logs every failed attempt at WARNING with a traceback. This engine reports
# each failure once, in one line naming the cluster, so unless LOGGING configures them, only the
# transport's errors are kept (and a CLI failure stays one line).
logger = logging.getLogger(__name__)
_transport_logger = logging.getLogger("elastic_transport")
if _transport_logger.level == logging.NOTSET:
    _transport_logger.setLevel(logging.ERROR)

BULK_CHUNK_SIZE = 500
SEARCH_TIMEOUT_SECONDS = 5
REBUILD_TIMEOUT_SECONDS = 120
VERSION_SUFFIX = re.compile(r"^\d{20}$")  # %Y%m%d%H%M%S%f
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
VERSION_CONFLICT = "version_conflict_engine_exception"


class ElasticsearchError(EngineUnavailable):
    """The cluster could not be reached or refused a request; the message names the URL."""


class FacetsIncomplete(ElasticsearchError):
    """A terms aggregation left values out, so facet counts would silently be wrong."""


class DocumentsRejected(ElasticsearchError):
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


def redact_url(url: str) -> str:
    """The URL without any user:password, safe for logs and command output."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        parts = parts._replace(netloc=host)
    return urlunsplit(parts)


def build_client(url: str, api_key: str = "", ca_certs: str = "", **options) -> Elasticsearch:
    """A client for one cluster URL. No retries and short timeouts: callers fall back instead."""
    kwargs = {
        "request_timeout": SEARCH_TIMEOUT_SECONDS,
        "max_retries": 0,
        "retry_on_timeout": False,
    }
    if api_key:
        kwargs["api_key"] = api_key
    if ca_certs:
        kwargs["ca_certs"] = ca_certs
    kwargs.update(options)
    return Elasticsearch(url, **kwargs)


_clients: dict[tuple[str, str, str], Elasticsearch] = {}


def shared_client(url: str, api_key: str, ca_certs: str) -> Elasticsearch | None:
    """One client (and connection pool) per process and configuration; None without a URL."""
    if not url:
        return None
    key = (url, api_key, ca_certs)
    if key not in _clients:
        _clients[key] = build_client(url, api_key, ca_certs)
    return _clients[key]


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(
        self,
        client: Elasticsearch | None,
        *,
        url: str,
        prefix: str,
        synonym_rules: Callable[[], list[str]],
        spelling_rules: Callable[[], es_query.SpellingRules] = es_query.SpellingRules.current,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.client = client
        self.url = redact_url(url) if url else "(ELASTICSEARCH_URL is not set)"
        self.alias = prefix
        self._synonym_rules = synonym_rules
        self._spelling_rules = spelling_rules
        self._clock = clock

    @classmethod
    def from_settings(cls) -> ElasticsearchEngine:
        from .es_synonyms import elasticsearch_synonym_rules

        url = settings.ELASTICSEARCH_URL
        return cls(
            shared_client(url, settings.ELASTICSEARCH_API_KEY, settings.ELASTICSEARCH_CA_CERTS),
            url=url,
            prefix=settings.KB_ELASTICSEARCH_INDEX_PREFIX,
            synonym_rules=elasticsearch_synonym_rules,
        )

    # -- errors ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _cluster(self, action: str):
        """Translate every client failure into one line that names the cluster and the action."""
        if self.client is None:
            raise ElasticsearchError("Elasticsearch is not configured: ELASTICSEARCH_URL is empty")
        try:
            yield self.client
        except ElasticsearchError:
            raise
        except helpers.BulkIndexError as error:
            first = error.errors[0] if error.errors else {}
            raise ElasticsearchError(
                f"Elasticsearch at {self.url} rejected {len(error.errors)} document(s) while "
                f"{action}: {_bulk_reason(first)}"
            ) from error
        except ApiError as error:
            raise ElasticsearchError(
                f"Elasticsearch at {self.url} answered HTTP {error.meta.status} while {action}: "
                f"{_api_reason(error)}"
            ) from error
        except TransportError as error:
            raise ElasticsearchError(
                f"Elasticsearch at {self.url} is unreachable while {action}: "
                f"{type(error).__name__}: {_first_line(error.message)}"
            ) from error

    # -- searching ------------------------------------------------------------------------------

    def explain(self, request: SearchRequest) -> dict:
        """The exact body `search` sends first, without contacting the cluster."""
        return self._search_for(request).to_dict()

    def _search_for(
        self, request: SearchRequest, query_text: str | None = None, relaxed: bool = False
    ) -> Search:
        return es_query.build_search(
            request, self._spelling_rules(), query_text=query_text, relaxed=relaxed
        )

    def search(self, request: SearchRequest) -> SearchResponse:
        """One request (full matches first, then the partial ones); another only when an unknown
        facet value changes what matches, or to retry a misspelling."""
        rules = self._spelling_rules()
        partial = es_query.may_relax(request.query, rules)
        response, unknown = self._execute(request, relaxed=partial)
        warnings = []
        if unknown:
            warnings = [
                f"Ignored unknown {FACETS_BY_NAME[name].label.lower()} \u201c{value}\u201d."
                for name, values in unknown.items()
                for value in values
            ]
            cleaned = replace(
                request,
                filters={
                    name: kept
                    for name, values in request.filters.items()
                    if (kept := tuple(v for v in values if v not in unknown.get(name, ())))
                },
            )
            # An unknown value ORed with known ones matches nothing extra, so hits and counts
            # stay the same; only a facet left with no value at all stops filtering.
            if set(cleaned.filters) != set(request.filters):
                response, _ = self._execute(cleaned, relaxed=partial)
            else:
                response.request = cleaned
            request = cleaned
        if response.exact_total:
            response.suggestion = None  # "did you mean" only when no page matched every word
        elif response.suggestion:
            retry, _ = self._execute(
                request,
                query_text=response.suggestion,
                relaxed=es_query.may_relax(response.suggestion, rules),
            )
            if retry.exact_total:
                retry.suggestion = response.suggestion
                retry.corrected_from = request.query
                response = retry
        concepts = rules.thesaurus.concepts(request.query)
        notice = partial_matches(len(concepts), response.exact_total, response.total)
        if notice:
            response.warnings.append(notice)
        response.warnings = warnings + response.warnings
        return response

    def _execute(self, request: SearchRequest, query_text: str | None = None, relaxed=False):
        body = self._search_for(request, query_text, relaxed=relaxed).to_dict()
        with self._cluster("searching") as client:
            raw = client.options(request_timeout=SEARCH_TIMEOUT_SECONDS).search(
                index=self.alias, body=body
            )
            raw = raw.body
        try:
            unknown = es_query.unknown_selections(request, raw)
            rules = self._spelling_rules()
            return es_query.parse_response(request, raw, rules, unknown, query_text), unknown
        except es_query.FacetsTruncated as error:
            raise FacetsIncomplete(f"Elasticsearch at {self.url}: {error}") from error

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        search = es_query.build_autocomplete(prefix, limit)
        if search is None:
            return []
        with self._cluster("suggesting titles") as client:
            raw = client.options(request_timeout=SEARCH_TIMEOUT_SECONDS).search(
                index=self.alias, body=search.to_dict()
            )
        return es_query.parse_autocomplete(raw.body)

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
        live write, by default, when it is sent). Elasticsearch keeps the highest version per
        document, including a deleted one's, so a replay of an older state that arrives after a
        newer live write is refused with 409, which counts as done: the newer state is there.

        Items are judged one by one: a success, a 409 version conflict, or deleting a document
        that is not there, is done; a document-level refusal (4xx other than
        CLUSTER_ITEM_STATUSES) is returned as page id -> reason; any other failure raises
        ElasticsearchError (the cluster is failing).
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
        with self._cluster("updating documents") as client:
            # require_alias: never let a write auto-create a concrete index under the alias name,
            # which would block the first rebuild from creating the alias.
            for _ok, item in helpers.streaming_bulk(
                client,
                actions,
                chunk_size=BULK_CHUNK_SIZE,
                raise_on_error=False,
                refresh="wait_for",
                require_alias=True,
            ):
                ((op, result),) = item.items()
                outcome = _item_outcome(op, result)
                if outcome == "rejected":
                    rejected[int(result["_id"])] = _bulk_reason(item)
                elif outcome == "failed":
                    failed.append(item)
        if failed:
            raise ElasticsearchError(
                f"Elasticsearch at {self.url} rejected {len(failed)} document(s) while updating "
                f"documents: {_bulk_reason(failed[0])}"
            )
        return rejected

    def _raise_rejected(self, rejected: dict[int, str], action: str) -> None:
        if rejected:
            first = next(iter(rejected.values()))
            raise DocumentsRejected(
                f"Elasticsearch at {self.url} rejected {len(rejected)} document(s) while "
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
        with self._cluster(f"creating index {name}") as client:
            client.options(request_timeout=REBUILD_TIMEOUT_SECONDS).indices.create(
                index=name, **index_body(self._synonym_rules())
            )
        try:
            count = self._load(name, documents, version)
        except BaseException:
            self._discard_unless_live(name)
            raise
        try:
            with self._cluster(f"moving alias {self.alias} to {name}") as client:
                client.options(request_timeout=REBUILD_TIMEOUT_SECONDS).indices.update_aliases(
                    actions=self._swap_actions(client, name)
                )
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
            holders = self._alias_holders(self.client)
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
        with contextlib.suppress(Exception):  # best effort: the cluster may be gone
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return "deleted"

    def _load(self, name: str, documents: Iterable[dict], version: int | None = None) -> int:
        versioned = {
            "version": self.version_now() if version is None else version,
            "version_type": "external_gte",
        }
        with self._cluster(f"loading index {name}") as client:
            client = client.options(request_timeout=REBUILD_TIMEOUT_SECONDS)
            client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
            count, _ = helpers.bulk(
                client,
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
            client.indices.put_settings(index=name, settings={"refresh_interval": None})
            client.indices.refresh(index=name)
            stored = client.count(index=name)["count"]
        if stored != count:
            raise ElasticsearchError(
                f"Elasticsearch at {self.url} holds {stored} documents in {name} after loading "
                f"{count}; the alias was not moved"
            )
        return count

    def _alias_holders(self, client) -> list[str]:
        """The indices the alias points to now ([] before the first rebuild)."""
        response = client.options(ignore_status=404).indices.get_alias(name=self.alias)
        if response.meta.status == 404:
            return []
        return sorted(response.body)

    def _swap_actions(self, client, new_index: str) -> list[dict]:
        """One atomic list: take the alias off every index, put it on the new one.

        A concrete index squatting on the alias name (created by a write before any alias
        existed) is removed in the same call, since an alias cannot share a name with an index.
        """
        holders = self._alias_holders(client)
        actions: list[dict] = [
            {"remove": {"index": index, "alias": self.alias}} for index in holders
        ]
        if not holders and client.indices.exists(index=self.alias):
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        return actions

    def _delete_old_indices(self, keep: str) -> list[str]:
        """Delete versioned indices older than `keep` that the alias does not point to.

        Newer ones are left alone: they belong to a rebuild running at the same time.
        """
        with self._cluster(f"listing indices {self.alias}-*") as client:
            names = client.indices.get(index=f"{self.alias}-*", expand_wildcards="open,closed")
            holders = set(self._alias_holders(client))
        old = sorted(
            n for n in names if self.is_versioned_index(n) and n < keep and n not in holders
        )
        if old:
            with self._cluster("deleting old indices") as client:
                client.options(request_timeout=REBUILD_TIMEOUT_SECONDS).indices.delete(
                    index=",".join(old), ignore_unavailable=True
                )
        return old

    # -- checking -------------------------------------------------------------------------------

    def check(self, documents: list[dict]) -> CheckReport:
        """Drift between the published pages and the index, plus the cluster's own state."""
        expected = {int(doc["id"]): checksum(doc) for doc in documents}
        with self._cluster("checking the index") as client:
            health = client.cluster.health().body
            holders = self._alias_holders(client)
            indexed = {}
            built_with = None
            if holders:
                # Only the stored checksum: a document written before the field existed has
                # none, counts as stale, and is rewritten by `search_index update`.
                indexed = {
                    int(hit["_id"]): hit.get("_source", {}).get("checksum")
                    for hit in helpers.scan(
                        client, index=self.alias, query={**MATCH_ALL, "_source": ["checksum"]}
                    )
                }
                built_with = _synonyms_in(client.indices.get_settings(index=self.alias).body)
        missing = sorted(set(expected) - set(indexed))
        orphaned = sorted(set(indexed) - set(expected))
        stale = sorted(
            page_id
            for page_id in set(expected) & set(indexed)
            if expected[page_id] != indexed[page_id]
        )
        if not holders:
            synonyms = "no index yet"
        elif built_with == self._synonym_rules():
            synonyms = "current"
        else:
            synonyms = "changed since the last rebuild (run: manage.py search_index rebuild)"
        return CheckReport(
            engine=self.name,
            indexed=len(indexed),
            expected=len(expected),
            missing=missing,
            stale=stale,
            orphaned=orphaned,
            details={
                "url": self.url,
                "cluster": health.get("cluster_name"),
                "cluster health": health.get("status"),
                "nodes": health.get("number_of_nodes"),
                "alias": self.alias,
                "alias points to": ", ".join(holders)
                or "nothing (run: manage.py search_index rebuild)",
                "documents in alias": len(indexed),
                "synonyms": synonyms,
            },
        )


MATCH_ALL = {"query": {"match_all": {}}}


def _synonyms_in(settings_body: dict) -> list[str] | None:
    for index_settings in settings_body.values():
        analysis = index_settings.get("settings", {}).get("index", {}).get("analysis", {})
        return analysis.get("filter", {}).get("kb_synonyms", {}).get("synonyms")
    return None


def _first_line(text) -> str:
    return str(text).strip().splitlines()[0][:300] if str(text).strip() else "no detail"


def _api_reason(error: ApiError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        return _first_line(f"{err.get('type', 'error')}: {err.get('reason', '')}")
    return _first_line(error.message)


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


def _bulk_reason(item: dict) -> str:
    for result in item.values():
        error = result.get("error") if isinstance(result, dict) else None
        if isinstance(error, dict):
            return _first_line(f"{error.get('type', 'error')}: {error.get('reason', '')}")
        if error:
            return _first_line(error)
    return "no detail"

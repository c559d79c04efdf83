"""A fake Elasticsearch 8 cluster behind a real `elastic_transport` node class.

The client, its serializer, its error mapping and the bulk/scan helpers all run for real; only
the HTTP exchange is replaced. Answers follow Elasticsearch's documented response formats
(REST API reference, 8.x). It keeps just enough state (indices, aliases, documents) to follow a
rebuild, a live update and a drift check; search answers are scripted per test, because
ranking, analysis and aggregation are Elasticsearch's job, not this fake's.

Modelled as Elasticsearch does it: bulk items succeed or fail one by one (`reject_item`), with
external versioning (`version_type: external_gte`, 409 `version_conflict_engine_exception` for
an older version; a deleted document's version is kept, as Elasticsearch keeps it for
`index.gc_deletes`, here forever); `update_aliases` applies all its actions or none, and a
`remove` of an alias the index does not hold fails with 404 `aliases_not_found_exception`.
`time_out_after` applies a request and then times out, as a slow cluster does. Deleting indices
by wildcard is refused with 400, as Elasticsearch 8 does by default
(`action.destructive_requires_name: true`).
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, ConnectionTimeout, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

JSON = "application/vnd.elasticsearch+json;compatible-with=8"


@dataclass
class Recorded:
    method: str
    path: str
    params: dict
    body: object
    timeout: float | None = None  # the request_timeout the client gave the node


@dataclass
class FakeCluster:
    indices: dict[str, dict] = field(default_factory=dict)  # name -> {"body", "docs", "aliases"}
    search_responses: list[dict] = field(default_factory=list)
    concept_count_requests: list = field(default_factory=list)
    concept_counts: dict[str, int] = field(default_factory=dict)  # "concept-N" -> pages
    failures: list[tuple[str, str, int, dict]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    rejected_items: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # by doc id
    timeouts: list[tuple[str, str]] = field(default_factory=list)

    # -- scripting ----------------------------------------------------------------------------

    def fail(self, method: str, path_pattern: str, status: int, error_type: str, reason: str):
        """Answer the next matching request with Elasticsearch's error format."""
        body = {
            "error": {
                "root_cause": [{"type": error_type, "reason": reason}],
                "type": error_type,
                "reason": reason,
            },
            "status": status,
        }
        self.failures.append((method, path_pattern, status, body))

    def reject_item(
        self,
        doc_id,
        status: int = 400,
        error_type: str = "document_parsing_exception",
        reason: str = "[1:2] failed to parse field [year] of type [integer]",
    ):
        """Answer every bulk item for this document id with an item error (the others succeed)."""
        self.rejected_items[str(doc_id)] = (status, error_type, reason)

    def time_out_after(self, method: str, path_pattern: str):
        """Apply the next matching request, then raise a timeout instead of answering."""
        self.timeouts.append((method, path_pattern))

    def add_index(self, name: str, *, aliases=(), docs=None):
        self.indices[name] = {
            "body": {},
            "docs": dict(docs or {}),
            "aliases": set(aliases),
            "versions": {},
        }

    def alias_holders(self, alias: str) -> list[str]:
        return sorted(n for n, i in self.indices.items() if alias in i["aliases"])

    def client(self, url: str = "http://es.test:9200") -> Elasticsearch:
        cluster = self

        class Node(FakeNode):
            fake = cluster

        return Elasticsearch(url, node_class=Node, max_retries=0)

    def sent(self, method: str, path_pattern: str) -> list[Recorded]:
        return [
            r for r in self.requests if r.method == method and re.fullmatch(path_pattern, r.path)
        ]

    # -- answering ----------------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, body, timeout=None):
        if _counts_concepts(body):
            # The engine's count of pages per concept (QueryPlan.counting), kept apart so the
            # scripted searches stay in order: every concept on one page of ten, unless the
            # test scripted `concept_counts`.
            self.concept_count_requests.append(Recorded(method, path, params, body, timeout))
            return 200, self._concept_counts(body)
        self.requests.append(Recorded(method, path, params, body, timeout))
        for failure in list(self.failures):
            f_method, pattern, status, error = failure
            if f_method == method and re.fullmatch(pattern, path):
                self.failures.remove(failure)
                return status, error
        parts = [unquote(p) for p in path.strip("/").split("/") if p]
        handler = self._route(method, parts)
        answer = handler(parts, params, body)
        for timeout in list(self.timeouts):
            if timeout[0] == method and re.fullmatch(timeout[1], path):
                self.timeouts.remove(timeout)
                raise ConnectionTimeout(f"Connection timed out after applying {method} {path}")
        return answer

    def _route(self, method, parts):
        last = parts[-1] if parts else ""
        routes = {
            ("GET", "_cluster"): self._health,
            ("POST", "_aliases"): self._update_aliases,
            ("GET", "_alias"): self._get_alias,
            ("PUT", "_bulk"): self._bulk,
            ("POST", "_bulk"): self._bulk,
            ("POST", "_refresh"): lambda *a: (200, {"_shards": _shards()}),
            ("POST", "_count"): self._count,
            ("GET", "_count"): self._count,
            ("PUT", "_settings"): lambda *a: (200, {"acknowledged": True}),
            ("GET", "_settings"): self._get_settings,
            ("POST", "_search"): self._search,
            ("GET", "_search"): self._search,
            ("POST", "scroll"): lambda *a: (200, _search_body([], scroll_id="scroll-1")),
            ("DELETE", "scroll"): lambda *a: (200, {"succeeded": True, "num_freed": 1}),
        }
        if parts and parts[0] in ("_cluster", "_aliases", "_alias"):
            return routes[(method, parts[0])]
        if (method, last) in routes:
            return routes[(method, last)]
        if method == "PUT" and len(parts) == 1:
            return self._create
        if method == "HEAD" and len(parts) == 1:
            return self._exists
        if method == "GET" and len(parts) == 1:
            return self._get_indices
        if method == "DELETE" and len(parts) == 1:
            return self._delete_indices
        raise AssertionError(f"the fake cluster has no route for {method} /{'/'.join(parts)}")

    def _resolve(self, name: str) -> list[str]:
        found = []
        for part in name.split(","):
            if part in self.indices:
                found.append(part)
            else:
                found += self.alias_holders(part)
                found += [n for n in self.indices if "*" in part and fnmatch.fnmatch(n, part)]
        return sorted(set(found))

    def _health(self, parts, params, body):
        return 200, {
            "cluster_name": "fake-cluster",
            "status": "green",
            "timed_out": False,
            "number_of_nodes": 3,
            "number_of_data_nodes": 3,
            "active_primary_shards": len(self.indices),
            "active_shards": 2 * len(self.indices),
            "relocating_shards": 0,
            "initializing_shards": 0,
            "unassigned_shards": 0,
        }

    def _create(self, parts, params, body):
        name = parts[0]
        if name in self.indices or self.alias_holders(name):
            return 400, _error(
                "resource_already_exists_exception", f"index [{name}] already exists", 400
            )
        self.indices[name] = {"body": body, "docs": {}, "aliases": set(), "versions": {}}
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _exists(self, parts, params, body):
        return (200 if self._resolve(parts[0]) else 404), None

    def _get_indices(self, parts, params, body):
        names = self._resolve(parts[0])
        return 200, {
            n: {"aliases": {a: {} for a in self.indices[n]["aliases"]}, "settings": {}}
            for n in names
        }

    def _delete_indices(self, parts, params, body):
        if any(ch in part for part in parts[0].split(",") for ch in "*?") or parts[0] == "_all":
            # Elasticsearch 8's default, action.destructive_requires_name: true
            return 400, _error(
                "illegal_argument_exception",
                "Wildcard expressions or all indices are not allowed",
                400,
            )
        for name in self._resolve(parts[0]):
            del self.indices[name]
        return 200, {"acknowledged": True}

    def _get_alias(self, parts, params, body):
        alias = parts[1]
        holders = self.alias_holders(alias)
        if not holders:
            return 404, {"error": f"alias [{alias}] missing", "status": 404}
        return 200, {n: {"aliases": {alias: {}}} for n in holders}

    def _get_settings(self, parts, params, body):
        return 200, {
            n: {"settings": {"index": self.indices[n]["body"].get("settings", {})}}
            for n in self._resolve(parts[0])
        }

    def _update_aliases(self, parts, params, body):
        """All actions or none: every action is validated before any is applied."""
        actions = [next(iter(action.items())) for action in body["actions"]]
        for _kind, spec in actions:
            if spec["index"] not in self.indices:
                name = spec["index"]
                return 404, _error("index_not_found_exception", f"no such index [{name}]", 404)
        for kind, spec in actions:
            if kind == "remove" and spec["alias"] not in self.indices[spec["index"]]["aliases"]:
                return 404, _error(
                    "aliases_not_found_exception", f"aliases [{spec['alias']}] missing", 404
                )
        for kind, spec in actions:
            if kind == "add":
                self.indices[spec["index"]]["aliases"].add(spec["alias"])
            elif kind == "remove":
                self.indices[spec["index"]]["aliases"].discard(spec["alias"])
            elif kind == "remove_index":
                del self.indices[spec["index"]]
        return 200, {"acknowledged": True, "errors": False}

    def _bulk(self, parts, params, body):
        default_index = parts[0] if len(parts) == 2 else None
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items, errors = [], False
        position = 0
        while position < len(lines):
            ((op, meta),) = lines[position].items()
            position += 1
            source = None
            if op != "delete":
                source = lines[position]
                position += 1
            item = self._bulk_item(op, meta, source, default_index, params)
            errors = errors or "error" in item
            items.append({op: item})
        return 200, {"took": 3, "errors": errors, "items": items}

    def _bulk_item(self, op, meta, source, default_index, params) -> dict:
        target = meta.get("_index", default_index)
        doc_id = meta["_id"]
        names = self._resolve(target)
        require_alias = params.get("require_alias") == ["true"]
        if not names or (require_alias and not self.alias_holders(target)):
            return _item_error(target, doc_id, require_alias)
        index = names[0]
        if doc_id in self.rejected_items:
            status, error_type, reason = self.rejected_items[doc_id]
            return {
                "_index": index,
                "_id": doc_id,
                "status": status,
                "error": {"type": error_type, "reason": reason},
            }
        docs, versions = self.indices[index]["docs"], self.indices[index].setdefault("versions", {})
        current = versions.get(doc_id, 1 if doc_id in docs else 0)
        if meta.get("version_type") == "external_gte":
            version = int(meta["version"])
            if version < current:
                return {
                    "_index": index,
                    "_id": doc_id,
                    "status": 409,
                    "error": {
                        "type": "version_conflict_engine_exception",
                        "reason": f"[{doc_id}]: version conflict, current version [{current}] is "
                        f"higher than the one provided [{version}]",
                        "index": index,
                    },
                }
        else:
            version = current + 1
        if op == "delete":
            found = docs.pop(doc_id, None) is not None
            versions[doc_id] = version  # the deleted document's version stays known
            if found:
                return _item(index, doc_id, "deleted", 200, version)
            return _item(index, doc_id, "not_found", 404, version)
        created = doc_id not in docs
        docs[doc_id] = source
        versions[doc_id] = version
        return _item(
            index, doc_id, "created" if created else "updated", 201 if created else 200, version
        )

    def _concept_counts(self, body) -> dict:
        answer = _search_body([])
        answer["hits"]["total"] = {"value": 10, "relation": "eq"}
        answer["aggregations"] = {
            name: {"doc_count": self.concept_counts.get(name, 1)} for name in body["aggs"]
        }
        return answer

    def _count(self, parts, params, body):
        count = sum(len(self.indices[n]["docs"]) for n in self._resolve(parts[0]))
        return 200, {"count": count, "_shards": _shards()}

    def _search(self, parts, params, body):
        if "scroll" in params:  # the scan helper reading everything
            wanted = (body or {}).get("_source")
            hits = [
                {"_index": n, "_id": i, "_score": None, "_source": _only(s, wanted), "sort": [0]}
                for n in self._resolve(parts[0])
                for i, s in self.indices[n]["docs"].items()
            ]
            return 200, _search_body(hits, scroll_id="scroll-1")
        if not self.search_responses:
            raise AssertionError("no scripted search response left")
        return 200, self.search_responses.pop(0)


def _counts_concepts(body) -> bool:
    if not isinstance(body, dict):
        return False
    aggs = body.get("aggs") or {}
    return (
        body.get("size") == 0 and bool(aggs) and all(name.startswith("concept-") for name in aggs)
    )


class FakeNode(BaseNode):
    """An elastic_transport node that hands each request to a FakeCluster."""

    fake: FakeCluster

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        url = urlsplit(target)
        params = parse_qs(url.query)
        parsed = None
        if body:
            is_ndjson = url.path.endswith("_bulk")
            parsed = body if is_ndjson else json.loads(body)
        status, answer = self.fake.handle(method, url.path, params, parsed, request_timeout)
        payload = b"" if answer is None else json.dumps(answer).encode()
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders({"content-type": JSON, "x-elastic-product": "Elasticsearch"}),
            duration=0.001,
            node=self.config,
        )
        return NodeApiResponse(meta, payload)


def _shards():
    return {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def _error(error_type, reason, status):
    return {
        "error": {
            "root_cause": [{"type": error_type, "reason": reason}],
            "type": error_type,
            "reason": reason,
        },
        "status": status,
    }


def _only(source: dict, wanted) -> dict:
    """_source filtering: a list of field names keeps just those fields."""
    if wanted is None or wanted is True:
        return source
    return {key: value for key, value in source.items() if key in wanted}


def _item(index, doc_id, result, status, version=1):
    return {
        "_index": index,
        "_id": doc_id,
        "_version": version,
        "result": result,
        "_shards": {"total": 2, "successful": 1, "failed": 0},
        "_seq_no": 0,
        "_primary_term": 1,
        "status": status,
    }


def _item_error(target, doc_id, require_alias):
    reason = f"no such index [{target}]"
    if require_alias:
        reason += f" and [require_alias] request flag is [true] and [{target}] is not an alias"
    return {
        "_index": target,
        "_id": doc_id,
        "status": 404,
        "error": {"type": "index_not_found_exception", "reason": reason, "index": target},
    }


def _search_body(hits, *, total=None, aggregations=None, suggest=None, scroll_id=None):
    body = {
        "took": 2,
        "timed_out": False,
        "_shards": _shards(),
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "max_score": max((h.get("_score") or 0 for h in hits), default=None),
            "hits": hits,
        },
    }
    if scroll_id:
        body["_scroll_id"] = scroll_id
    if aggregations is not None:
        body["aggregations"] = aggregations
    if suggest is not None:
        body["suggest"] = suggest
    return body


search_body = _search_body

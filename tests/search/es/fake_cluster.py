"""A fake Elasticsearch 8 cluster behind a real `elastic_transport` node class.

The client, its serializer, its error mapping and the bulk/scan helpers all run for real; only
the HTTP exchange is replaced. Answers follow Elasticsearch's documented response formats
(REST API reference, 8.x). It keeps just enough state (indices, aliases, documents) to follow a
rebuild, a live update and a drift check; search answers are scripted per test, because
ranking, analysis and aggregation are Elasticsearch's job, not this fake's.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

JSON = "application/vnd.elasticsearch+json;compatible-with=8"


@dataclass
class Recorded:
    method: str
    path: str
    params: dict
    body: object


@dataclass
class FakeCluster:
    indices: dict[str, dict] = field(default_factory=dict)  # name -> {"body", "docs", "aliases"}
    search_responses: list[dict] = field(default_factory=list)
    failures: list[tuple[str, str, int, dict]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

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

    def add_index(self, name: str, *, aliases=(), docs=None):
        self.indices[name] = {"body": {}, "docs": dict(docs or {}), "aliases": set(aliases)}

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

    def handle(self, method: str, path: str, params: dict, body):
        self.requests.append(Recorded(method, path, params, body))
        for failure in list(self.failures):
            f_method, pattern, status, error = failure
            if f_method == method and re.fullmatch(pattern, path):
                self.failures.remove(failure)
                return status, error
        parts = [unquote(p) for p in path.strip("/").split("/") if p]
        handler = self._route(method, parts)
        return handler(parts, params, body)

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
        self.indices[name] = {"body": body, "docs": {}, "aliases": set()}
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
        for action in body["actions"]:
            ((kind, spec),) = action.items()
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
            target = meta.get("_index", default_index)
            doc_id = meta["_id"]
            names = self._resolve(target)
            require_alias = params.get("require_alias") == ["true"]
            if not names or (require_alias and not self.alias_holders(target)):
                errors = True
                items.append({op: _item_error(target, doc_id, require_alias)})
                continue
            docs = self.indices[names[0]]["docs"]
            if op == "delete":
                found = docs.pop(doc_id, None) is not None
                items.append(
                    {
                        op: _item(
                            names[0],
                            doc_id,
                            "deleted" if found else "not_found",
                            200 if found else 404,
                        )
                    }
                )
            else:
                created = doc_id not in docs
                docs[doc_id] = source
                items.append(
                    {
                        op: _item(
                            names[0],
                            doc_id,
                            "created" if created else "updated",
                            201 if created else 200,
                        )
                    }
                )
        return 200, {"took": 3, "errors": errors, "items": items}

    def _count(self, parts, params, body):
        count = sum(len(self.indices[n]["docs"]) for n in self._resolve(parts[0]))
        return 200, {"count": count, "_shards": _shards()}

    def _search(self, parts, params, body):
        if "scroll" in params:  # the scan helper reading everything
            hits = [
                {"_index": n, "_id": i, "_score": None, "_source": s, "sort": [0]}
                for n in self._resolve(parts[0])
                for i, s in self.indices[n]["docs"].items()
            ]
            return 200, _search_body(hits, scroll_id="scroll-1")
        if not self.search_responses:
            raise AssertionError("no scripted search response left")
        return 200, self.search_responses.pop(0)


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
        status, answer = self.fake.handle(method, url.path, params, parsed)
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


def _item(index, doc_id, result, status):
    return {
        "_index": index,
        "_id": doc_id,
        "_version": 1,
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

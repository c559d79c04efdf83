"""What differs between the servers the cluster engine talks to, and nothing else.

OpenSearch 3 and Elasticsearch 8 speak the same query language over the same Lucene, and
search/engines/cluster/engine.py sends both the same bodies (built once, with elasticsearch.dsl).
They differ in:

- the client: `opensearch-py` for OpenSearch; the `elasticsearch` 8 client, which refuses any
  server that is not Elasticsearch (product check, `compatible-with=8` headers), for
  Elasticsearch;
- how each client is given a timeout, told to tolerate a 404, and returns a response;
- their error types, translated here into `ClusterError` with one line naming the server;
- query parameters: OpenSearch's `combined_fields` (3.2 and later) refuses
  `auto_generate_synonyms_phrase_query` and `zero_terms_query` with a 400
  (`REFUSED_QUERY_PARAMETERS`); the bodies never carry them (both are Elasticsearch's defaults);
- deleting by wildcard: Elasticsearch 8 refuses it (`action.destructive_requires_name`), so
  `delete_indices` only ever names indices, found first with a listing.

A dialect owns one client; `cluster.ClusterEngine` calls only the methods below. Every method
returns plain JSON values and raises `ClusterError` for any failure, including an answer that
is not a JSON object (a proxy's HTML page with HTTP 200).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from search.engines.base import EngineUnavailable

logger = logging.getLogger(__name__)

SEARCH_TIMEOUT_SECONDS = 5
REBUILD_TIMEOUT_SECONDS = 120

# Both clients log every failed attempt at WARNING with a traceback. The engine reports each
# failure once, in one line naming the server, so unless LOGGING configures them, only their
# errors are kept (and a CLI failure stays one line).
for _name in ("elastic_transport", "opensearch"):
    _client_logger = logging.getLogger(_name)
    if _client_logger.level == logging.NOTSET:
        _client_logger.setLevel(logging.ERROR)


class ClusterError(EngineUnavailable):
    """The server could not be reached, refused a request or answered nonsense; the message
    names the server and its URL."""


def redact_url(url: str) -> str:
    """The URL without any user:password, safe for logs and command output."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        parts = parts._replace(netloc=host)
    return urlunsplit(parts)


def first_line(text) -> str:
    text = str(text).strip()
    return text.splitlines()[0][:300] if text else "no detail"


def error_reason(body, fallback) -> str:
    """`type: reason` from the servers' shared error format, else the first line of fallback."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return first_line(f"{error.get('type', 'error')}: {error.get('reason', '')}")
    if isinstance(body, dict) and body.get("error"):
        return first_line(body["error"])
    return first_line(fallback)


class Dialect:
    """The operations the cluster engine needs, on one server's client."""

    name = "cluster"  # the KB_SEARCH_ENGINE value
    label = "A search cluster"  # how messages name the server
    url_setting = ""
    # Query parameters this server refuses, by query type (bodies must never carry them).
    REFUSED_QUERY_PARAMETERS: dict[str, frozenset[str]] = {}

    def __init__(self, client, url: str):
        self.client = client
        self.url = redact_url(url) if url else f"({self.url_setting} is not set)"

    # -- errors ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def translated(self, action: str):
        """Every client failure as one ClusterError line naming the server, URL and action."""
        if self.client is None:
            raise ClusterError(f"{self.label} is not configured: {self.url_setting} is empty")
        try:
            yield
        except ClusterError:
            raise
        except Exception as error:
            described = self.describe(error)
            if described is None:
                raise
            what, detail = described
            raise ClusterError(
                f"{self.label} at {self.url} {what} while {action}: {detail}"
            ) from error

    def describe(self, error: Exception) -> tuple[str, str] | None:
        """What went wrong and its detail, e.g. ("answered HTTP 400", "type: reason"), or None
        for an error that is not the client's (a bug, raised as it is)."""
        raise NotImplementedError

    def _json(self, value, action: str) -> dict:
        if not isinstance(value, dict):
            raise ClusterError(
                f"{self.label} at {self.url} answered with a body that is not JSON while "
                f"{action}: {first_line(repr(value))[:120]}"
            )
        return value

    # -- operations (implemented per client) ----------------------------------------------------

    def search(self, index: str, body: dict, timeout: float = SEARCH_TIMEOUT_SECONDS) -> dict:
        raise NotImplementedError

    def create_index(self, name: str, body: dict) -> None:
        raise NotImplementedError

    def put_settings(self, index: str, settings: dict) -> None:
        raise NotImplementedError

    def refresh(self, index: str) -> None:
        raise NotImplementedError

    def count(self, index: str) -> int:
        raise NotImplementedError

    def alias_holders(self, alias: str) -> list[str]:
        """The indices the alias points to now ([] when there is no such alias)."""
        raise NotImplementedError

    def index_exists(self, name: str) -> bool:
        raise NotImplementedError

    def update_aliases(self, actions: list[dict]) -> None:
        raise NotImplementedError

    def indices_matching(self, pattern: str) -> list[str]:
        raise NotImplementedError

    def _delete(self, names: str) -> None:
        raise NotImplementedError

    def health(self) -> dict:
        raise NotImplementedError

    def analyze(self, index: str, analyzer: str, text: str) -> list[str]:
        """The tokens an index's analyzer makes of a text (for tests and diagnostics)."""
        raise NotImplementedError

    def streaming_bulk(self, actions: Iterable[dict], **options) -> Iterator[tuple[bool, dict]]:
        raise NotImplementedError

    def bulk_load(self, actions: Iterable[dict], chunk_size: int) -> int:
        """Send every action, refusing the whole load if any item fails; the count sent."""
        raise NotImplementedError

    def scan(self, index: str, query: dict) -> Iterator[dict]:
        raise NotImplementedError

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    # -- shared on every server -----------------------------------------------------------------

    def delete_indices(self, names: Iterable[str]) -> None:
        """Delete these indices, each by its full name: never a wildcard (Elasticsearch 8
        refuses one by default, and a pattern could take indices that are not ours)."""
        names = sorted(set(names))
        for name in names:
            if any(ch in name for ch in "*?,") or name.startswith(("-", "_")):
                raise ValueError(f"refusing to delete {name!r}: name indices one by one")
        if names:
            self._delete(",".join(names))


class ElasticsearchDialect(Dialect):
    """Elasticsearch 8, through the `elasticsearch` client (its product check left as it is)."""

    name = "elasticsearch"
    label = "Elasticsearch"
    url_setting = "ELASTICSEARCH_URL"

    def describe(self, error):
        # An optional client: only an install that uses this server has it.
        from elasticsearch import ApiError, TransportError, helpers

        if isinstance(error, helpers.BulkIndexError):
            first = error.errors[0] if error.errors else {}
            return f"rejected {len(error.errors)} document(s)", bulk_reason(first)
        if isinstance(error, ApiError):
            return f"answered HTTP {error.meta.status}", error_reason(error.body, error.message)
        if isinstance(error, TransportError):
            return "is unreachable", f"{type(error).__name__}: {first_line(error.message)}"
        return None

    def _opts(self, timeout=SEARCH_TIMEOUT_SECONDS, **options):
        return self.client.options(request_timeout=timeout, **options)

    def search(self, index, body, timeout=SEARCH_TIMEOUT_SECONDS):
        return self._json(self._opts(timeout).search(index=index, body=body).body, "searching")

    def create_index(self, name, body):
        self._opts(REBUILD_TIMEOUT_SECONDS).indices.create(index=name, **body)

    def put_settings(self, index, settings):
        self._opts(REBUILD_TIMEOUT_SECONDS).indices.put_settings(index=index, settings=settings)

    def refresh(self, index):
        self._opts(REBUILD_TIMEOUT_SECONDS).indices.refresh(index=index)

    def count(self, index):
        return self._json(self._opts().count(index=index).body, "counting")["count"]

    def alias_holders(self, alias):
        response = self._opts(ignore_status=404).indices.get_alias(name=alias)
        if response.meta.status == 404:
            return []
        return sorted(self._json(response.body, "reading the alias"))

    def index_exists(self, name):
        return bool(self._opts().indices.exists(index=name))

    def update_aliases(self, actions):
        self._opts(REBUILD_TIMEOUT_SECONDS).indices.update_aliases(actions=actions)

    def indices_matching(self, pattern):
        response = self._opts().indices.get(index=pattern, expand_wildcards="open,closed")
        return sorted(self._json(response.body, "listing indices"))

    def _delete(self, names):
        self._opts(REBUILD_TIMEOUT_SECONDS).indices.delete(index=names, ignore_unavailable=True)

    def health(self):
        return self._json(self._opts().cluster.health().body, "reading cluster health")

    def analyze(self, index, analyzer, text):
        raw = self._opts().indices.analyze(index=index, analyzer=analyzer, text=text).body
        return [token["token"] for token in self._json(raw, "analysing")["tokens"]]

    def streaming_bulk(self, actions, **options):
        # An optional client: only an install that uses this server has it.
        from elasticsearch import helpers

        yield from helpers.streaming_bulk(
            self._opts(REBUILD_TIMEOUT_SECONDS), actions, raise_on_error=False, **options
        )

    def bulk_load(self, actions, chunk_size):
        # An optional client: only an install that uses this server has it.
        from elasticsearch import helpers

        count, _ = helpers.bulk(self._opts(REBUILD_TIMEOUT_SECONDS), actions, chunk_size=chunk_size)
        return count

    def scan(self, index, query):
        # An optional client: only an install that uses this server has it.
        from elasticsearch import helpers

        yield from helpers.scan(self._opts(), index=index, query=query)


class OpenSearchDialect(Dialect):
    """OpenSearch 3, through `opensearch-py`."""

    name = "opensearch"
    label = "OpenSearch"
    url_setting = "OPENSEARCH_URL"
    REFUSED_QUERY_PARAMETERS = {
        "combined_fields": frozenset({"auto_generate_synonyms_phrase_query", "zero_terms_query"})
    }

    def describe(self, error):
        # An optional client: only an install that uses this server has it.
        from opensearchpy import exceptions
        from opensearchpy.helpers import BulkIndexError

        if isinstance(error, BulkIndexError):
            first = error.errors[0] if error.errors else {}
            return f"rejected {len(error.errors)} document(s)", bulk_reason(first)
        if isinstance(error, exceptions.ConnectionError):
            cause = error.info if error.info is not None else error.error
            return "is unreachable", f"{type(error).__name__}: {first_line(cause)}"
        if isinstance(error, exceptions.TransportError):
            return f"answered HTTP {error.status_code}", error_reason(error.info, error.error)
        if isinstance(error, exceptions.SerializationError):
            return "answered with a body that is not JSON", first_line(error)
        if isinstance(error, exceptions.OpenSearchException):
            return "failed", f"{type(error).__name__}: {first_line(error)}"
        return None

    def search(self, index, body, timeout=SEARCH_TIMEOUT_SECONDS):
        return self._json(
            self.client.search(index=index, body=body, request_timeout=timeout), "searching"
        )

    def create_index(self, name, body):
        self.client.indices.create(index=name, body=body, request_timeout=REBUILD_TIMEOUT_SECONDS)

    def put_settings(self, index, settings):
        self.client.indices.put_settings(
            index=index, body=settings, request_timeout=REBUILD_TIMEOUT_SECONDS
        )

    def refresh(self, index):
        self.client.indices.refresh(index=index, request_timeout=REBUILD_TIMEOUT_SECONDS)

    def count(self, index):
        raw = self.client.count(index=index, request_timeout=SEARCH_TIMEOUT_SECONDS)
        return self._json(raw, "counting")["count"]

    def alias_holders(self, alias):
        raw = self.client.indices.get_alias(
            name=alias, ignore=404, request_timeout=SEARCH_TIMEOUT_SECONDS
        )
        raw = self._json(raw, "reading the alias")
        if raw.get("status") == 404 and "error" in raw:
            return []
        return sorted(raw)

    def index_exists(self, name):
        return bool(self.client.indices.exists(index=name, request_timeout=SEARCH_TIMEOUT_SECONDS))

    def update_aliases(self, actions):
        self.client.indices.update_aliases(
            body={"actions": actions}, request_timeout=REBUILD_TIMEOUT_SECONDS
        )

    def indices_matching(self, pattern):
        raw = self.client.indices.get(
            index=pattern, expand_wildcards="open,closed", request_timeout=SEARCH_TIMEOUT_SECONDS
        )
        return sorted(self._json(raw, "listing indices"))

    def _delete(self, names):
        self.client.indices.delete(
            index=names, ignore_unavailable=True, request_timeout=REBUILD_TIMEOUT_SECONDS
        )

    def health(self):
        raw = self.client.cluster.health(request_timeout=SEARCH_TIMEOUT_SECONDS)
        return self._json(raw, "reading cluster health")

    def analyze(self, index, analyzer, text):
        raw = self.client.indices.analyze(
            index=index, body={"analyzer": analyzer, "text": text}, request_timeout=10
        )
        return [token["token"] for token in self._json(raw, "analysing")["tokens"]]

    def streaming_bulk(self, actions, **options):
        # An optional client: only an install that uses this server has it.
        from opensearchpy import helpers

        yield from helpers.streaming_bulk(
            self.client,
            actions,
            raise_on_error=False,
            request_timeout=REBUILD_TIMEOUT_SECONDS,
            **options,
        )

    def bulk_load(self, actions, chunk_size):
        # An optional client: only an install that uses this server has it.
        from opensearchpy import helpers

        count, _ = helpers.bulk(
            self.client, actions, chunk_size=chunk_size, request_timeout=REBUILD_TIMEOUT_SECONDS
        )
        return count

    def scan(self, index, query):
        # An optional client: only an install that uses this server has it.
        from opensearchpy import helpers

        yield from helpers.scan(
            self.client, index=index, query=query, request_timeout=SEARCH_TIMEOUT_SECONDS
        )


def bulk_reason(item: dict) -> str:
    """`type: reason` of one bulk item's error."""
    for result in item.values():
        error = result.get("error") if isinstance(result, dict) else None
        if isinstance(error, dict):
            return first_line(f"{error.get('type', 'error')}: {error.get('reason', '')}")
        if error:
            return first_line(error)
    return "no detail"


# --- clients -------------------------------------------------------------------------------------

DIALECTS = {dialect.name: dialect for dialect in (OpenSearchDialect, ElasticsearchDialect)}


def build_client(server: str, url: str, api_key: str = "", ca_certs: str = "", **options):
    """A client for one server URL. No retries and short timeouts: callers fall back instead.

    Credentials: an API key (both servers), or user:password in the URL (OpenSearch's basic
    auth); `ca_certs` for a private certificate authority.
    """
    if server == "elasticsearch":
        # An optional client: only an install that uses this server has it.
        from elasticsearch import Elasticsearch

        kwargs = {
            "request_timeout": SEARCH_TIMEOUT_SECONDS,
            "max_retries": 0,
            "retry_on_timeout": False,
        }
        if api_key:
            kwargs["api_key"] = api_key
        if ca_certs:
            kwargs["ca_certs"] = ca_certs
        return Elasticsearch(url, **{**kwargs, **options})
    if server == "opensearch":
        # An optional client: only an install that uses this server has it.
        from opensearchpy import OpenSearch

        kwargs = {"timeout": SEARCH_TIMEOUT_SECONDS, "max_retries": 0, "retry_on_timeout": False}
        parts = urlsplit(url)
        if parts.username or parts.password:
            kwargs["http_auth"] = (parts.username or "", parts.password or "")
            url = redact_url(url)
        if api_key:
            kwargs["api_key"] = api_key
        if ca_certs:
            kwargs["ca_certs"] = ca_certs
        return OpenSearch([url], **{**kwargs, **options})
    raise ValueError(f"unknown search server {server!r}; choose one of {', '.join(DIALECTS)}")


def build_dialect(server: str, url: str, api_key: str = "", ca_certs: str = "", **options):
    """A dialect with its own client (None without a URL: every call then says so)."""
    client = build_client(server, url, api_key, ca_certs, **options) if url else None
    return DIALECTS[server](client, url)


_shared: dict[tuple, Dialect] = {}


def shared_dialect(server: str, url: str, api_key: str = "", ca_certs: str = "") -> Dialect:
    """One client (and connection pool) per process and configuration."""
    key = (server, url, api_key, ca_certs)
    if key not in _shared:
        _shared[key] = build_dialect(server, url, api_key, ca_certs)
    return _shared[key]


def configured_dialect(server: str) -> Dialect:
    """The dialect for KB_SEARCH_ENGINE=<server>, from the settings (see docs/deployment.md)."""
    if server == "opensearch":
        return shared_dialect(
            server,
            settings.OPENSEARCH_URL,
            settings.OPENSEARCH_API_KEY,
            settings.OPENSEARCH_CA_CERTS,
        )
    return shared_dialect(
        server,
        settings.ELASTICSEARCH_URL,
        settings.ELASTICSEARCH_API_KEY,
        settings.ELASTICSEARCH_CA_CERTS,
    )

"""Fetching web addresses safely: the one place the importers and the link checker reach out.

Rules (issue 11): http and https only; at most TIMEOUT seconds in all; at most MAX_BYTES read;
redirects followed up to MAX_REDIRECTS, each hop checked again; an address that resolves to a
private, loopback or otherwise non-public IP is refused unless settings.KB_FETCH_ADDRESSES says
"loopback" (test settings: tests serve pages from 127.0.0.1 and must never reach a real site).
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from django.conf import settings

TIMEOUT = 10.0  # seconds, for the whole fetch including redirects: the most any setting may give
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "kb-importer/1.0 (+knowledge base link checker)"
REDIRECT_CODES = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """The address could not be fetched; the message is one line an editor can act on."""


@dataclass
class FetchResult:
    url: str  # what was asked for
    final_url: str  # after redirects
    status: int
    headers: Message
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)  # each Location followed, in order

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type() if self.headers else ""

    @property
    def charset(self) -> str | None:
        return self.headers.get_content_charset() if self.headers else None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by `fetch` itself, so every hop passes the address checks."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def check_address(url: str) -> None:
    """Refuse what the rules forbid, before any connection is made."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https addresses can be fetched, not {url[:80]!r}")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url[:80]!r} has no host name")
    scope = getattr(settings, "KB_FETCH_ADDRESSES", "public")
    if scope == "loopback" and host != "localhost":
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            raise FetchError(
                f"{host} refused: these settings fetch only from this machine (127.0.0.1)"
            ) from None
        if not literal.is_loopback:
            raise FetchError(f"{host} refused: these settings fetch only from this machine")
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"could not reach {host}: the name does not resolve") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if scope == "loopback":
            if not address.is_loopback:
                raise FetchError(f"{host} refused: it resolves to {address}, not this machine")
        elif not address.is_global or address.is_multicast:
            raise FetchError(f"{host} refused: it resolves to a private or local address")


def timeout_seconds() -> float:
    """settings.KB_FETCH_TIMEOUT (tests shorten it), never more than TIMEOUT."""
    return min(float(getattr(settings, "KB_FETCH_TIMEOUT", TIMEOUT)), TIMEOUT)


def fetch(url: str, *, method: str = "GET", read_body: bool = True, timeout: float | None = None):
    """Request `url`, following redirects; any HTTP status is returned, never raised.

    Raises FetchError for a refused address, a network failure, a timeout, too many redirects or
    a body over MAX_BYTES.
    """
    timeout = min(timeout or timeout_seconds(), TIMEOUT)
    deadline = time.monotonic() + timeout
    current = url
    redirects = []
    while True:
        check_address(current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {timeout:g} seconds")
        request = urllib.request.Request(
            current,
            method=method,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.1"},
        )
        try:
            response = _opener.open(request, timeout=remaining)
        except urllib.error.HTTPError as error:
            response = error  # a 3xx, 4xx or 5xx: still an answer
        except TimeoutError:
            raise FetchError(f"timed out after {timeout:g} seconds") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise FetchError(f"timed out after {timeout:g} seconds") from None
            raise FetchError(f"could not reach {urlsplit(current).hostname}: {reason}") from None
        except (OSError, ValueError) as error:
            raise FetchError(f"could not reach {urlsplit(current).hostname}: {error}") from None
        with response:
            status = response.status if hasattr(response, "status") else response.code
            headers = response.headers
            if status in REDIRECT_CODES and headers.get("Location"):
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(f"more than {MAX_REDIRECTS} redirects")
                current = urljoin(current, headers["Location"])
                redirects.append(current)
                if status == 303:
                    method = "GET" if method != "HEAD" else "HEAD"
                continue
            body = _read(response, headers, deadline, timeout) if read_body else b""
        return FetchResult(url, current, status, headers, body, redirects)


def _read(response, headers, deadline, timeout) -> bytes:
    length = headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_BYTES:
        raise FetchError(f"the page is larger than {MAX_BYTES // (1024 * 1024)} MB")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} seconds")
        try:
            chunk = response.read(64 * 1024)
        except TimeoutError:
            raise FetchError(f"timed out after {timeout:g} seconds") from None
        except OSError as error:
            raise FetchError(f"the connection failed while reading: {error}") from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(f"the page is larger than {MAX_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)

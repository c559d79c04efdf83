"""Link checking: every web address resources and case studies hold, checked with bounded
concurrency; the last result of each is kept in LinkCheck.

HEAD first (cheap); GET when a server refuses HEAD. Redirects are followed (each hop passes the
fetch rules) and the final address recorded. Only the network work runs in threads; the database
is read before and written after, in the calling thread.
"""

from __future__ import annotations

import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from kb.models import CaseStudyPage, ResourcePage

from .fetch import FetchError, fetch
from .models import LinkCheck
from .values import field_label

URL_RE = re.compile(r"(?:\bhttps?://|(?<![\w@.])www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
TEXT_FIELDS = {
    ResourcePage: ("summary", "how_to_obtain"),
    CaseStudyPage: ("summary", "aims", "what_was_done", "evaluation"),
}
HEAD_REFUSED = {400, 403, 405, 406, 501}  # answers that may mean "not to HEAD": try GET
MAX_WORKERS = 8


def addresses_in(text: str) -> list[str]:
    return [match.rstrip(".,;:!?") for match in URL_RE.findall(text or "")]


def held_addresses() -> dict[str, list[tuple[int, str, str]]]:
    """Each address -> [(page id, page title, field label)] of the pages that hold it."""
    held = defaultdict(list)
    for page in ResourcePage.objects.only(
        "id", "title", "url_as_published", *TEXT_FIELDS[ResourcePage]
    ):
        if page.url_as_published.strip():
            held[page.url_as_published.strip()].append((page.pk, page.title, "web address"))
        for name in TEXT_FIELDS[ResourcePage]:
            for url in addresses_in(getattr(page, name)):
                held[url].append((page.pk, page.title, field_label(ResourcePage, name)))
    for page in CaseStudyPage.objects.only("id", "title", *TEXT_FIELDS[CaseStudyPage]):
        for name in TEXT_FIELDS[CaseStudyPage]:
            for url in addresses_in(getattr(page, name)):
                held[url].append((page.pk, page.title, field_label(CaseStudyPage, name)))
    return dict(held)


def request_url(address: str) -> str:
    """What to ask for: addresses printed in 2010 often lack a scheme ("www.nice.org.uk")."""
    return address if urlsplit(address).scheme else f"http://{address}"


@dataclass
class Result:
    url: str
    checked_url: str
    outcome: str
    status: int | None = None
    redirect_to: str = ""
    error: str = ""


def check_one(address: str) -> Result:
    target = request_url(address)
    try:
        response = fetch(target, method="HEAD", read_body=False)
        if response.status in HEAD_REFUSED:
            response = fetch(target, method="GET", read_body=False)
    except FetchError as error:
        return Result(address, target, LinkCheck.Outcome.UNREACHABLE, error=str(error)[:300])
    redirect_to = response.final_url if response.redirects else ""
    if 200 <= response.status < 300:
        outcome = LinkCheck.Outcome.REDIRECTED if redirect_to else LinkCheck.Outcome.OK
    else:
        outcome = LinkCheck.Outcome.BROKEN
    return Result(address, target, outcome, response.status, redirect_to[:1000])


def due(addresses, older_than_days: int | None):
    """The addresses never checked, or (with a number of days) checked longer ago than that."""
    if older_than_days is None:
        return sorted(addresses)
    since = timezone.now() - timedelta(days=older_than_days)
    recent = set(LinkCheck.objects.filter(checked_at__gte=since).values_list("url", flat=True))
    return sorted(set(addresses) - recent)


def check_links(older_than_days=None, workers=MAX_WORKERS) -> list[Result]:
    addresses = due(held_addresses(), older_than_days)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, MAX_WORKERS))) as pool:
        results = list(pool.map(check_one, addresses))
    now = timezone.now()
    for result in results:
        LinkCheck.objects.update_or_create(
            url=result.url[:1000],
            defaults={
                "checked_url": result.checked_url[:1000],
                "outcome": result.outcome,
                "status": result.status,
                "redirect_to": result.redirect_to,
                "error": result.error,
                "checked_at": now,
            },
        )
    return results

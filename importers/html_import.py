"""Import one web page (an address or an HTML file) as a draft case study or resource.

The command and the admin view both call `import_page`. The page becomes a PageItem applied by
`sync`, under the same rule as the YAML loader: a second import of an unchanged source changes
nothing, and a draft an editor has changed is never overwritten. The result is always a draft.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from wagtail.models import Page

from kb import models as kb

from .fetch import MAX_BYTES, FetchError, fetch
from .items import PageItem, item_hash
from .models import PageImport
from .sources.html import Extraction, looks_like_html, parse
from .sync import Sync
from .values import ContentError, field_label, fit_to_model

PAGE_TYPES = {
    "case_study": (kb.CaseStudyPage, kb.CaseStudyIndexPage, "case study"),
    "resource": (kb.ResourcePage, kb.ResourceIndexPage, "resource"),
}
KIND = "html_page"
HTML_SUFFIXES = (".html", ".htm")


@dataclass
class ImportResult:
    page: Page
    outcome: str  # created | updated | unchanged | kept
    extraction: Extraction
    record: PageImport

    def lines(self):
        label = PAGE_TYPES[self.record.page_type][2]
        yield {
            "created": f"Created a draft {label}: {self.page.title}",
            "updated": f"Updated the draft {label}: {self.page.title}",
            "unchanged": f"Unchanged: the draft {label} {self.page.title!r} already holds this",
            "kept": f"Kept: an editor has changed {self.page.title!r} since it was imported; "
            "nothing was overwritten",
        }[self.outcome]
        for label, where, size in self.record.mapped_rows():
            yield f"  {label:<16} from {where} ({size:,} characters)"
        for heading, size in self.record.left_out:
            yield f"  left out: {heading} ({size:,} characters)"
        for note in self.record.cut:
            yield f"  cut: {note}"
        for line in describe_recognised(self.extraction):
            yield f"  {line}"


def page_field_label(page_type, name):
    """A page field as the editor's form labels it ("What was done", not "what_was_done")."""
    return capfirst(field_label(PAGE_TYPES[page_type][0], name))


def describe_recognised(extraction):
    if extraction.page_type == "resource":
        for kind in ("areas", "organisations"):
            names = [obj.name for obj in getattr(extraction, kind)]
            if names:
                yield f"named on the page, not set (a resource has no such tag): {', '.join(names)}"
        if extraction.emails:
            yield f"email addresses (a resource has no email field): {', '.join(extraction.emails)}"
    if extraction.dates:
        yield f"dates on the page: {', '.join(extraction.dates)}"
    if extraction.links:
        yield f"links: {len(extraction.links)}"


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def read_url(url: str):
    """(bytes, charset, final address) of a page, or ContentError with one line."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ContentError(f"{url[:80]}: only http and https addresses can be imported")
    try:
        response = fetch(url)
    except FetchError as error:
        raise ContentError(f"{url}: {error}") from None
    if response.status != 200:
        raise ContentError(f"{url}: the address answered {response.status}, not a page")
    if response.content_type != "text/html":
        kind = response.content_type or "no content type"
        raise ContentError(f"{url}: not a web page (it is {kind}); only text/html is imported")
    if not response.body.strip():
        raise ContentError(f"{url}: the page is empty")
    return response.body, response.charset, response.final_url


def read_file(name: str, raw: bytes):
    if not name.lower().endswith(HTML_SUFFIXES):
        raise ContentError(f"{name}: not an HTML file (expected .html or .htm)")
    if len(raw) > MAX_BYTES:
        raise ContentError(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not raw.strip():
        raise ContentError(f"{name}: the file is empty")
    if not looks_like_html(raw):
        raise ContentError(f"{name}: not an HTML file")
    return raw


def taxonomy():
    return {
        "areas": list(kb.Area.objects.all()),
        "organisations": list(kb.Organisation.objects.all()),
    }


def _parent(page_type, parent_slug):
    model, index_model, label = PAGE_TYPES[page_type]
    if not parent_slug:
        parent = index_model.objects.first()
        if parent is None:
            raise ContentError(f"there is no page to hold a {label} yet (run load_initial_data)")
        return parent
    candidates = Page.objects.filter(slug=parent_slug).specific()
    if not candidates:
        raise ContentError(f"no page with the slug {parent_slug!r}")
    for candidate in candidates:
        if model in candidate.specific_class.allowed_subpage_models():
            return candidate
    raise ContentError(f"the page {parent_slug!r} cannot hold a {label}")


def _unique_slug(parent, title, own_page_id=None):
    base = slugify(title)[:70].strip("-") or "imported-page"
    taken = set(parent.get_children().exclude(pk=own_page_id).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def build_item(extraction: Extraction, key, parent, existing_page_id=None) -> PageItem:
    model = PAGE_TYPES[extraction.page_type][0]
    fields = {"title": extraction.title, **extraction.fields}
    if extraction.page_type == "resource":
        fields.setdefault("resource_type", kb.ResourcePage.ResourceType.WEBSITE)
    extraction.cut.extend(fit_to_model(model, fields))
    item = PageItem(
        kind=KIND,
        key=key,
        model=model,
        parent=parent,
        slug=_unique_slug(parent, extraction.title, existing_page_id),
        source_hash="",
        fields=fields,
        publish=False,
    )
    if extraction.page_type == "case_study":
        item.many = {"areas": extraction.areas, "organisations": extraction.organisations}
        item.children = {
            "contacts": (kb.CaseStudyContact, extraction.contacts),
            "outcomes": (kb.CaseStudyOutcome, extraction.outcomes),
        }
    item.source_hash = item_hash(
        [
            extraction.page_type,
            fields,
            {name: [obj.slug for obj in objs] for name, objs in item.many.items()},
            extraction.contacts,
            *([extraction.outcomes] if extraction.outcomes else []),  # old hashes unchanged
        ]
    )
    return item


def import_page(*, url=None, file_name=None, raw=None, page_type="case_study", parent_slug=None):
    """Import a page from `url`, or from `raw` bytes of a file named `file_name`."""
    if page_type not in PAGE_TYPES:
        raise ContentError(f"unknown type {page_type!r}; choose case_study or resource")
    if url:
        raw, charset, final_url = read_url(url)
        source_url = final_url
    else:
        raw, charset, source_url = read_file(file_name, raw), None, ""
    extraction = parse(
        raw, page_type=page_type, base_url=source_url, charset=charset, taxonomy=taxonomy()
    )
    if url:
        source = extraction.canonical_url or normalise_url(url)
    else:
        source = (
            extraction.canonical_url or f"file:{Path(file_name).name}:{slugify(extraction.title)}"
        )
    if page_type == "resource" and source_url:
        extraction.fields["url_as_published"] = source_url[:500]
        extraction.map("url_as_published", "the address fetched", source_url)
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()[:40]
    with transaction.atomic():
        record = PageImport.objects.select_for_update().filter(source=source).first()
        if record is not None and record.page_type != page_type:
            label = PAGE_TYPES[record.page_type][2]
            raise ContentError(
                f"{source}: already imported as a {label}; import it with --type {record.page_type}"
            )
        parent = _parent(page_type, parent_slug)
        sync = Sync()
        existing = sync.record(KIND, key)
        item = build_item(extraction, key, parent, existing.object_id if existing else None)
        page = sync.apply(item)
        outcome = sync.outcomes[(KIND, key)]
        record = record or PageImport(source=source, page_type=page_type)
        record.source_url = source_url
        record.page = page
        record.fetched_at = timezone.now()
        record.mapped = extraction.mapped
        record.left_out = extraction.left_out
        record.cut = extraction.cut
        record.links = extraction.links
        record.dates = extraction.dates
        record.last_outcome = outcome
        record.save()
    return ImportResult(page=page, outcome=outcome, extraction=extraction, record=record)

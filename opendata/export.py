"""Write the open data files: every public page as JSON Lines, a CSV per page type with its
taxonomy, the report's recommendation tables, and a DCAT-AP catalogue of them.

Only live pages anyone may see are exported (`kb.contexts.visibility.public`): never drafts (a live page's
row holds its published content; drafts live in revisions), never view-restricted pages, and
nothing from the support workspace or alerts. Files are written to a new directory and swapped
in whole, so a download never sees half a set.

Freshness: `export_open_data` runs daily, and `/data/` regenerates first when the files are
missing, older than a day, or the published pages have changed since (`content_fingerprint`).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import fcntl
import json
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from wagtail.models import Page

from config.site import absolute_url
from kb.contexts.visibility import public
from kb.models import EvidenceSummaryPage, RecommendationRow

from . import catalogue
from .schema import JSONL, RECOMMENDATIONS, RECOMMENDATIONS_CSV, TYPES

MAX_AGE = datetime.timedelta(days=1)
MANIFEST = "manifest.json"


def data_dir() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def current_dir() -> Path:
    return data_dir() / "current"


def content_fingerprint() -> str:
    """Changes whenever a page is published, unpublished, restricted or deleted (one query)."""
    facts = public(Page).aggregate(
        count=Count("pk"), newest=Max("last_published_at"), ids=Max("pk")
    )
    newest = facts["newest"].isoformat() if facts["newest"] else ""
    return f"{facts['count']}:{facts['ids']}:{newest}"


def read_manifest() -> dict | None:
    try:
        return json.loads((current_dir() / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return None


def is_stale(manifest, now=None) -> bool:
    if manifest is None:
        return True
    now = now or timezone.now()
    generated = datetime.datetime.fromisoformat(manifest["generated_at"])
    return now - generated > MAX_AGE or manifest["fingerprint"] != content_fingerprint()


def ensure_fresh() -> dict:
    """The manifest of files no more than a day old and matching the published pages."""
    manifest = read_manifest()
    if not is_stale(manifest):
        return manifest
    data_dir().mkdir(parents=True, exist_ok=True)
    with open(data_dir() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer; the others wait, then find it fresh
        manifest = read_manifest()
        if is_stale(manifest):
            manifest = export()
    return manifest


def cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_value(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


# What each type's columns read, loaded in a fixed number of queries per file.
PREFETCH = {
    "case_study": ["themes", "areas", "interventions", "organisations", "outcomes"],
    "resource": ["themes", "interventions"],
    "evidence_summary": ["interventions"],
    "news": ["themes", "areas"],
    "area": [],
}
SELECT = {"resource": ["publisher"], "evidence_summary": ["theme"], "area": ["area"]}


def public_pages(key, model):
    return (
        public(model)
        .order_by("pk")
        .select_related(*SELECT.get(key, []))
        .prefetch_related(*PREFETCH[key])
    )


def export() -> dict:
    """Write every file into a fresh directory and swap it in; return the manifest."""
    now = timezone.now()
    fingerprint = content_fingerprint()
    root = data_dir()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="export-", dir=root))
    files = {}
    with open(work / JSONL, "w", encoding="utf-8") as jsonl:
        total = 0
        for key, (model, filename, _description, columns) in TYPES.items():
            rows = 0
            with open(work / filename, "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow([column.name for column in columns])
                for page in public_pages(key, model):
                    page.open_data_type = key
                    page.open_data_url = absolute_url(page.url or "")
                    values = [column.value(page) for column in columns]
                    writer.writerow([cell(value) for value in values])
                    record = {c.name: json_value(v) for c, v in zip(columns, values, strict=True)}
                    jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
                    rows += 1
            files[filename] = rows
            total += rows
        files[JSONL] = total
    with open(work / RECOMMENDATIONS_CSV, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([column.name for column in RECOMMENDATIONS])
        rows = 0
        public_evidence = public(EvidenceSummaryPage)
        positions = {}
        for row in (
            RecommendationRow.objects.filter(page__in=public_evidence)
            .select_related("page", "page__theme")
            .order_by("page_id", "sort_order", "pk")
        ):
            positions[row.page_id] = positions.get(row.page_id, 0) + 1
            row.position = positions[row.page_id]
            writer.writerow([cell(column.value(row)) for column in RECOMMENDATIONS])
            rows += 1
        files[RECOMMENDATIONS_CSV] = rows
    manifest = {
        "generated_at": now.isoformat(),
        "fingerprint": fingerprint,
        "files": {
            name: {"rows": rows, "bytes": (work / name).stat().st_size}
            for name, rows in files.items()
        },
    }
    (work / catalogue.FILENAME).write_text(
        json.dumps(catalogue.build(manifest), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
    swap_in(work)
    return manifest


def swap_in(work: Path) -> None:
    """Point `current` (a symlink) at the new directory in one rename, then drop the old one."""
    current = current_dir()
    old = current.resolve() if current.is_symlink() else None
    link = work.with_name(work.name + ".link")
    link.symlink_to(work.name)
    link.replace(current)
    if old is not None and old != work:
        shutil.rmtree(old, ignore_errors=True)

"""`/data/`: the downloads with their schema, licence and attribution, and the files themselves.

Both regenerate the files first if they are missing, more than a day old, or behind the
published pages (`export.ensure_fresh`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render

from . import catalogue, export
from .schema import RECOMMENDATIONS, TYPES

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".jsonl": "application/jsonl; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
}


def downloads(manifest):
    columns = {filename: cols for _m, filename, _d, cols in TYPES.values()}
    columns[export.RECOMMENDATIONS_CSV] = RECOMMENDATIONS
    common = next(iter(TYPES.values()))[3]
    columns[export.JSONL] = None  # each line has the columns of its type's CSV
    for filename, title, description in catalogue.dataset_descriptions():
        facts = manifest["files"][filename]
        yield {
            "filename": filename,
            "title": title,
            "description": description,
            "rows": facts["rows"],
            "kilobytes": max(1, round(facts["bytes"] / 1024)),
            "columns": columns[filename],
            "common": common if columns[filename] is None else None,
        }


def open_data(request):
    manifest = export.ensure_fresh()
    context = {
        "downloads": list(downloads(manifest)),
        "generated_at": datetime.datetime.fromisoformat(manifest["generated_at"]),
        "licence_name": settings.OPEN_DATA_LICENCE_NAME,
        "licence_url": settings.OPEN_DATA_LICENCE_URL,
        "attribution": settings.OPEN_DATA_ATTRIBUTION,
        "report_source": settings.OPEN_DATA_REPORT_SOURCE,
        "catalogue": catalogue.FILENAME,
    }
    return render(request, "opendata/data.html", context)


def download(request, filename):
    manifest = export.ensure_fresh()
    if filename not in manifest["files"] and filename != catalogue.FILENAME:
        raise Http404("No such download.")
    suffix = "." + filename.rsplit(".", 1)[-1]
    response = FileResponse(
        open(export.current_dir() / filename, "rb"),  # noqa: SIM115 (FileResponse closes it)
        content_type=CONTENT_TYPES[suffix],
        as_attachment=suffix != ".jsonld",
        filename=filename,
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response

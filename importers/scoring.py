"""The importer's judged set: how many of the fields a person expects it fills correctly.

A directory holds web pages and `expected.yaml` (format in tests/importers/pages/expected.yaml).
Each page is read exactly as `import_html` reads it, without saving anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .html_import import PAGE_TYPES, read_file, taxonomy
from .sources.html import parse
from .values import ContentError, fit_to_model

EXPECTED_FILE = "expected.yaml"


@dataclass
class Check:
    page: str
    name: str
    expected: object
    found: object
    correct: bool


def _normal(text):
    return " ".join(str(text or "").split())


def imported_values(extraction):
    """What an import would set, by field: texts, tag slugs, and counts of inline rows."""
    model = PAGE_TYPES[extraction.page_type][0]
    fields = {"title": extraction.title, **extraction.fields}
    fit_to_model(model, fields)
    return {
        **fields,
        "areas": sorted(a.slug for a in extraction.areas),
        "organisations": sorted(o.slug for o in extraction.organisations),
        "outcomes": len(extraction.outcomes),
        "contacts": len(extraction.contacts),
    }


def check(page, name, expected, values):
    field = name.split(" (", 1)[0]
    found = values.get(field)
    if isinstance(expected, list):
        correct = sorted(expected) == (found or [])
    elif isinstance(expected, int):
        correct = found == expected
    elif expected == "":
        correct = not found
    else:
        correct = _normal(expected) in _normal(found)
    return Check(page, name, expected, found, correct)


def score_directory(directory: Path) -> list[Check]:
    expected_path = directory / EXPECTED_FILE
    if not expected_path.is_file():
        raise ContentError(f"{directory}: no {EXPECTED_FILE} (what each page should fill)")
    expected = yaml.safe_load(expected_path.read_text(encoding="utf-8")) or {}
    known = taxonomy()
    checks = []
    for page, fields in expected.items():
        path = directory / page
        if not path.is_file():
            raise ContentError(f"{expected_path.name}: {page}: no such page in {directory}")
        page_type = fields.pop("type", "case_study")
        try:
            extraction = parse(
                read_file(page, path.read_bytes()), page_type=page_type, taxonomy=known
            )
            values = imported_values(extraction)
        except ContentError as error:
            values = {"error": str(error)}
        checks.extend(check(page, name, value, values) for name, value in fields.items())
    return checks

"""The measure of the page-type registry (ADR 0006): a new searchable page type and a new facet
need nothing outside their own declarations.

tests/extension/ holds a throwaway page type (a funded programme) and facet (its funders): the
model, its migration, its template, and the facet's one declaration in its settings. Its checks
run in a pytest of their own under those settings (the main run's settings never install it)
and prove the page type is indexed, searchable, faceted, in the API schema and the cluster
mapping, and importable from YAML. No module outside tests/extension/ names either.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "tests" / "extension"


def test_a_new_page_type_and_facet_need_only_their_own_declarations(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--ds",
            "tests.extension.settings",
            str(EXTENSION / "extension_checks.py"),
        ],
        cwd=ROOT,
        env={**os.environ, "KB_SEARCH_INDEX_PATH": str(tmp_path / "index.sqlite3")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "6 passed" in result.stdout


def test_nothing_outside_the_extension_names_the_throwaway_types():
    names = ("ProgrammePage", "Funder", "tests.extension", "extension.")
    places = [
        path
        for folder in ("kb", "search", "importers", "editorial", "support", "alerts", "opendata")
        for path in (ROOT / folder).rglob("*.py")
    ]
    places += list((ROOT / "templates").rglob("*.html"))
    named = [str(p.relative_to(ROOT)) for p in places if any(n in p.read_text() for n in names)]
    assert named == []

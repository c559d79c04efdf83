"""Defect 1: static files build under production settings, and pages render from the manifest."""

import re

from .helpers import fetch


def test_collectstatic_succeeds_under_production_settings(production_dir, collectstatic_result):
    assert collectstatic_result.returncode == 0, collectstatic_result.stderr[-3000:]
    manifest = production_dir / "static" / "staticfiles.json"
    assert manifest.exists()
    assert "css/nhsuk-frontend-local.min.css" in manifest.read_text()


def test_pages_link_hashed_static_files_and_they_are_served(production_site):
    status, _headers, body = fetch(production_site + "/")
    assert status == 200
    stylesheet = re.search(r"/static/css/nhsuk-frontend-local\.min\.[0-9a-f]{12}\.css", body)
    assert stylesheet, "the home page does not link the hashed stylesheet"
    status, headers, _css = fetch(production_site + stylesheet.group())
    assert status == 200
    assert "max-age=315360000" in headers.get("Cache-Control", "")

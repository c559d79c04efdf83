"""The stylesheet we serve is the installed NHS.UK frontend minus anything from another host."""

import re

from kb import nhsuk_css


def test_committed_stylesheet_matches_the_installed_package():
    assert nhsuk_css.TARGET.read_text(encoding="utf-8") == nhsuk_css.build(), (
        "static/css/nhsuk-frontend-local.min.css is stale: run `.venv/bin/python -m kb.nhsuk_css`"
    )


def test_served_stylesheets_reference_no_other_host():
    for path in nhsuk_css.TARGET.parent.glob("*.css"):
        css = path.read_text(encoding="utf-8")
        assert not re.search(r"url\((['\"]?)(https?:)?//", css), path.name
        assert "@import" not in css, path.name

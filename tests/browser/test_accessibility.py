"""axe-core on every page type: no serious or critical violations."""

import json

import pytest

# Page type -> (URL, the status it must answer with). A form error is still the search page
# (200, the error shown in the form); only the unknown address is a 404.
PAGE_TYPES = {
    "home": ("/", 200),
    "search results": ("/search/?q=breastfeeding&type=case_study", 200),
    "search with no results": ("/search/?q=zzzzqqqq", 200),
    "search error": ("/search/?q=" + "x" * 201, 200),
    "case study index": ("/case-studies/", 200),
    "case study": ("/case-studies/kirklees-wocba/", 200),
    "resource index": ("/resources/", 200),
    "resource": ("/resources/npeu-evidence-map/", 200),
    "evidence index": ("/evidence/", 200),
    "theme hub": ("/evidence/housing/", 200),
    "national picture": ("/evidence/national-picture/", 200),
    "area index": ("/areas/", 200),
    "area": ("/areas/kirklees/", 200),
    "news index": ("/news/", 200),
    "glossary": ("/glossary/", 200),
    "not found": ("/no-such-page/", 404),
}
BLOCKING = {"serious", "critical"}


def run_axe(page, axe_source):
    """axe through the DevTools protocol: the site's CSP (rightly) refuses an injected script."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async () => {
          const results = await axe.run(document, {resultTypes: ['violations']});
          return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))
          }));
        }"""
    )


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_serious_accessibility_violations(page, axe_source, name):
    url, status = PAGE_TYPES[name]
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, indent=2)


def test_news_article_is_accessible(page, axe_source):
    page.goto("/news/")
    with page.expect_navigation():
        page.locator("main ul a").first.click()
    assert page.locator("h1").is_visible()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, indent=2)

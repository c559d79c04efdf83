"""axe-core on every page type: no serious or critical violations."""

import json

import pytest

PAGE_TYPES = {
    "home": "/",
    "search results": "/search/?q=breastfeeding&type=case_study",
    "search with no results": "/search/?q=zzzzqqqq",
    "search error": "/search/?q=" + "x" * 201,
    "case study index": "/case-studies/",
    "case study": "/case-studies/kirklees-wocba/",
    "resource index": "/resources/",
    "resource": "/resources/npeu-evidence-map/",
    "evidence index": "/evidence/",
    "theme hub": "/evidence/housing/",
    "national picture": "/evidence/national-picture/",
    "area index": "/areas/",
    "area": "/areas/kirklees/",
    "news index": "/news/",
    "glossary": "/glossary/",
    "not found": "/no-such-page/",
}
BLOCKING = {"serious", "critical"}


def run_axe(page, axe_source):
    page.add_script_tag(content=axe_source)
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
    response = page.goto(PAGE_TYPES[name])
    assert response.status in (200, 400, 404)
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, indent=2)


def test_news_article_is_accessible(page, axe_source):
    page.goto("/news/")
    with page.expect_navigation():
        page.locator("main ul a").first.click()
    assert page.locator("h1").is_visible()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, indent=2)

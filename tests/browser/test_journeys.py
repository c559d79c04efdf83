"""What practitioners do, in a real browser against a real server with the report's content."""

import re
from urllib.parse import parse_qs, urlparse

import pytest


def result_total(page):
    text = page.locator("#result-count").inner_text()
    match = re.search(r"(\d+) results?", text)
    return int(match.group(1)) if match else 0


def query_of(page):
    return parse_qs(urlparse(page.url).query)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_search_then_narrow_with_facet_checkboxes(request, javascript):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    page.goto("/")
    page.fill("#home-search-field", "smoking")
    page.locator("form.kb-home-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/search/\?q=smoking"))
    before = result_total(page)
    assert before > 1

    checkbox = page.locator("input.nhsuk-checkboxes__input[name=type][value=case_study]")
    checkbox.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"type=case_study"))
    after_type = result_total(page)
    assert 0 < after_type < before
    assert page.locator("input[name=type][value=case_study]").is_checked()
    for title_type in page.locator(".kb-result .nhsuk-tag").all_inner_texts():
        assert title_type.strip() == "Case study"

    theme = page.locator("input.nhsuk-checkboxes__input[name=theme]").first
    theme.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"theme="))
    assert 0 < result_total(page) <= after_type
    assert page.locator("a.kb-chip").count() == 2


def test_page_through_results(page):
    page.goto("/search/?q=")
    total = result_total(page)
    if total <= 20:
        page.goto("/search/?q=health")
        total = result_total(page)
    assert total > 20, "needs more than one page of results"
    first_page = page.locator(".kb-result h3 a").all_inner_texts()
    page.locator("a.nhsuk-pagination__link--next").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator("ol.kb-results").get_attribute("start") == "21"
    second_page = page.locator(".kb-result h3 a").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    page.locator("a.nhsuk-pagination__link--prev").click()
    page.wait_for_url(lambda url: "page=2" not in url)
    assert page.locator(".kb-result h3 a").all_inner_texts() == first_page


def test_remove_a_chip(page):
    page.goto("/search/?q=&type=case_study&theme=reducing-maternal-smoking")
    narrowed = result_total(page)
    assert page.locator("a.kb-chip").count() == 2
    chip = page.locator("a.kb-chip", has_text="Theme")
    with page.expect_navigation():
        chip.click()
    assert "theme" not in query_of(page)
    assert query_of(page).get("type") == ["case_study"]
    assert page.locator("a.kb-chip").count() == 1
    assert result_total(page) >= narrowed


def test_open_and_read_a_case_study(page):
    page.goto("/search/?q=breastfeeding&type=case_study")
    first = page.locator(".kb-result h3 a").first
    title = first.inner_text().strip()
    with page.expect_navigation():
        first.click()
    assert page.locator("h1").inner_text().strip().endswith(title)
    glance = page.locator(".kb-at-a-glance")
    assert glance.is_visible()
    for label in ("Area", "Themes", "Interventions", "Evaluation", "Started"):
        assert glance.locator("dt", has_text=label).count() == 1
    assert page.locator("h2#outcomes").is_visible()
    assert page.title().startswith(title)
    crumbs = page.locator("nav.nhsuk-breadcrumb").inner_text()
    assert "Case studies" in crumbs


def focused(page):
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim(),
            href: el.getAttribute('href') || '', cls: el.className || '',
            visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'
                     || style.backgroundColor !== 'rgba(0, 0, 0, 0)'
          };
        }"""
    )


def tab_until(page, predicate, limit=150):
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError("never reached the element by pressing Tab")


def test_keyboard_only_journey(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Skip to main content" and skip["visible"]

    search = tab_until(page, lambda s: s["id"] == "search-field")
    assert search["visible"]
    page.keyboard.type("safer sleep")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=safer"))
    assert result_total(page) > 0

    result = tab_until(
        page,
        lambda s: (
            "kb-result"
            in page.evaluate(
                "() => document.activeElement.closest('.kb-result') ? 'kb-result' : ''"
            )
        ),
    )
    assert result["visible"], "focused result link must show the NHS focus style"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().strip().endswith(result["text"])

    back = tab_until(page, lambda s: "nhsuk-breadcrumb__link" in s["cls"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == back["href"]


def test_chart_data_table_opens_from_the_keyboard_without_js(page_without_js):
    page = page_without_js
    page.goto("/evidence/national-picture/")
    chart = page.locator("#chart-rm-gap")
    assert chart.locator("svg[role=img]").is_visible()
    table = chart.locator("details table")
    assert not table.is_visible()
    chart.locator("summary").focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert "1997-99" in table.inner_text()


def test_print_hides_navigation_and_search(page):
    page.goto("/case-studies/kirklees-wocba/")
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header__search").is_visible()
    assert not page.locator("nav.nhsuk-breadcrumb").is_visible()
    assert page.locator(".kb-at-a-glance").is_visible()
    assert page.locator("h1").is_visible()

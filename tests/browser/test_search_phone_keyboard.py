"""Search on a phone and with a keyboard (the GOV.UK finder pattern), suggestions as you type,
and print: measured in a real browser against the report's content."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

PHONE = {"width": 375, "height": 812}
FIRST_SCREEN_PX = 900
MAX_TABS = 5


def results_heading_top(page):
    return page.evaluate(
        "() => document.getElementById('results').getBoundingClientRect().top + window.scrollY"
    )


def tabs_to_first_result(page, limit=12):
    """Tab presses from the page's search box until the first result link has focus."""
    page.locator("#q").focus()
    first = page.locator(".kb-result h3 a").first
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if first.evaluate("link => link === document.activeElement"):
            return presses
    return None


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("query", ["", "safer sleeping"], ids=["empty", "safer-sleeping"])
def test_results_start_within_the_first_screen_on_a_phone(request, javascript, query):
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    page.set_viewport_size(PHONE)
    page.goto(f"/search/?q={query}")
    top = results_heading_top(page)
    print(
        f"\n375px, {'with' if javascript else 'without'} JS, q={query!r}: results heading at {top:.0f}px"
    )
    assert top <= FIRST_SCREEN_PX
    assert page.locator(".kb-result").first.is_visible()


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
@pytest.mark.parametrize("query", ["", "safer sleeping", "smoking"])
def test_first_result_within_5_tab_presses_of_the_search_box(page, viewport, query):
    page.set_viewport_size(viewport)
    page.goto(f"/search/?q={query}")
    presses = tabs_to_first_result(page)
    print(f"\n{viewport['width']}px, q={query!r}: first result after {presses} Tab presses")
    assert presses is not None and presses <= MAX_TABS


def test_skip_to_results_comes_first(page):
    page.goto("/search/?q=breastfeeding")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to results"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "results"


def test_filters_are_collapsed_behind_a_button_on_a_phone_and_focus_follows_them(page):
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=smoking")
    toggle = page.get_by_role("button", name="Filter results")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#filters").is_visible()
    assert results_heading_top(page) <= FIRST_SCREEN_PX
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#filters").is_visible()
    page.locator("input[name=type][value=case_study]").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"type=case_study"))
    assert page.evaluate("() => document.activeElement.id") == "result-count"
    assert page.get_by_role(
        "button", name=re.compile(r"Filter results \(1 selected\)")
    ).is_visible()


def test_filters_stay_open_beside_the_results_on_a_wide_screen(page):
    page.goto("/search/?q=smoking")
    assert page.locator("#filters").is_visible()
    assert page.get_by_role("button", name="Filter results").count() == 0


def test_filters_work_without_javascript_on_a_phone(page_without_js):
    page = page_without_js
    page.set_viewport_size(PHONE)
    page.goto("/search/?q=smoking")
    assert page.locator("#filters").is_visible()
    page.locator("input[name=type][value=case_study]").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"type=case_study"))


def test_suggestions_as_you_type_with_the_keyboard(page):
    requests = []
    page.on(
        "request", lambda r: requests.append(r.url) if "/api/search/suggest/" in r.url else None
    )
    page.goto("/case-studies/")
    box = page.locator("#search-field")
    box.press_sequentially("breastfeed", delay=30)  # faster than the debounce
    option = page.locator("#search-field__listbox [role=option]").first
    option.wait_for()
    # Debounced: one request for the whole burst of typing, not one per key.
    assert 1 <= len(requests) <= 2, requests
    assert box.get_attribute("aria-expanded") == "true"
    chosen = option.inner_text()
    box.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=" in page.url
    assert page.locator("#q").input_value() == chosen


def test_enter_without_a_highlighted_suggestion_searches_what_was_typed(page):
    page.goto("/search/")
    box = page.locator("#q")
    box.press_sequentially("breastf", delay=30)
    page.locator("#q__listbox [role=option]").first.wait_for()
    with page.expect_navigation():
        box.press("Enter")
    assert parse_qs(urlparse(page.url).query)["q"] == ["breastf"]


def test_print_shows_absolute_links_the_address_and_the_date(page, site_url):
    page.goto("/case-studies/kirklees-wocba/")
    button = page.get_by_role("button", name="Print this page")
    assert button.is_visible()
    page.emulate_media(media="print")
    meta = page.locator(".kb-print-meta")
    assert meta.is_visible()
    text = meta.inner_text()
    assert f"{site_url}/case-studies/kirklees-wocba/" in text
    assert re.search(r"on \d{1,2} [A-Z][a-z]+ \d{4}", text)
    assert not button.is_visible()
    area_link = page.locator("main a[href^='/areas/']").first
    after = area_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert f"({site_url}/areas/" in after


def test_print_button_is_an_enhancement(page_without_js):
    page_without_js.goto("/evidence/housing/")
    assert page_without_js.get_by_role("button", name="Print this page").count() == 0
    page_without_js.emulate_media(media="print")
    assert page_without_js.locator(".kb-print-meta").is_visible()


def test_search_on_a_phone_with_filters_open_is_accessible(page, axe_source):
    from tests.browser.test_accessibility import BLOCKING, run_axe

    page.set_viewport_size(PHONE)
    page.goto("/search/?q=safer+sleeping")
    page.get_by_role("button", name="Filter results").click()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, violations

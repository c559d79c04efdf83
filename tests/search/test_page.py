"""The /search/ page: a plain GET form, rendered by a real request."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils.http import urlencode

from search.facets import MAX_QUERY_LENGTH

TOO_LONG = "x" * (MAX_QUERY_LENGTH + 1)

pytestmark = pytest.mark.django_db


def page(client, status=200, **params):
    response = client.get("/search/", params)
    assert response.status_code == status
    return BeautifulSoup(response.content, "html.parser")


def text(node):
    return " ".join(node.get_text(" ").split())


def test_form_works_without_javascript(client):
    soup = page(client)
    form = soup.find("form", id="search-form")
    assert form["method"] == "get" and form["action"] == "/search/"
    assert form.find("input", attrs={"name": "q"})
    assert form.find("select", attrs={"name": "sort"})
    assert form.find("button", string=re.compile("Apply filters"))


def test_facets_are_fieldsets_with_legends_and_counts(client):
    soup = page(client, q="smoking")
    legends = [text(legend) for legend in soup.select("fieldset legend")]
    assert {"Theme", "Area", "Intervention", "Type of content"} <= set(legends)
    box = soup.find("input", attrs={"name": "theme", "value": "reducing-maternal-smoking"})
    label = soup.find("label", attrs={"for": box["id"]})
    assert re.fullmatch(r"Reducing maternal smoking \(\d+ results?\)", label.get_text())


def test_result_count_is_announced(client):
    soup = page(client, q="cot death")
    status = soup.find(id="result-count")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert re.match(r"\d+ results for ‘cot death’", text(status))


def test_result_count_is_in_the_title(client):
    # A status region is not announced on a full page load; the title is read first.
    soup = page(client, q="cot death")
    count = re.match(r"(\d+) results for ‘cot death’", text(soup.find(id="result-count")))[1]
    site = text(soup.title).rsplit(" - ", 1)[1]
    pages = -(-int(count) // 20)
    paging = f" (page 1 of {pages})" if pages > 1 else ""
    assert text(soup.title) == f"{count} results for ‘cot death’{paging} - Search - {site}"
    assert text(page(client, q="zzqxjwv").title) == f"No results for ‘zzqxjwv’ - Search - {site}"
    second = text(page(client, type="resource", page="2").title)
    assert re.fullmatch(rf"\d+ results \(page 2 of \d+\) - Search - {re.escape(site)}", second)
    assert text(page(client, q=TOO_LONG).title) == f"Error: {'x' * 59}… - Search - {site}"


def test_each_result_shows_snippet_type_themes_area_and_year(client):
    soup = page(client, q="young fathers", type="case_study")
    first = soup.select_one(".kb-result")
    assert "Young Fathers" in text(first.find("h3"))
    assert first.select_one(".nhsuk-tag").get_text() == "Case study"
    assert first.select_one(".kb-result__snippet mark")
    tags = text(first.select_one(".kb-result__tags"))
    assert "Themes" in tags and "Area" in tags and "Newcastle" in tags


def test_headings_are_in_order(client):
    soup = page(client, q="housing")
    levels = [int(h.name[1]) for h in soup.select("main h1, main h2, main h3")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_chips_remove_one_filter_and_clear_all_removes_every_filter(client):
    soup = page(client, q="smoking", theme="reducing-maternal-smoking", type="case_study")
    chips = soup.select("a.kb-chip")
    assert len(chips) == 2
    theme_chip = next(c for c in chips if "Theme" in text(c))
    assert "Remove filter" in text(theme_chip)
    assert theme_chip["href"] == "/search/?q=smoking&type=case_study"
    clear = soup.find("a", string="Clear all filters")
    assert clear["href"] == "/search/?q=smoking"


def test_the_url_holds_the_whole_search(client):
    soup = page(client, q="smoking", theme="reducing-maternal-smoking", sort="title")
    assert soup.find("input", attrs={"name": "q"})["value"] == "smoking"
    assert soup.find("option", attrs={"value": "title"}).has_attr("selected")
    assert soup.find("input", attrs={"value": "reducing-maternal-smoking"}).has_attr("checked")
    titles = [text(h) for h in soup.select(".kb-result h3")]
    # Leading quotes and a leading "The" are ignored, as in a library catalogue.
    keys = [re.sub(r"^the ", "", re.sub(r"^\W+", "", title.casefold())) for title in titles]
    assert keys == sorted(keys)


def test_pagination_links_keep_the_search(client):
    soup = page(client, type="resource")
    next_link = soup.select_one("a.nhsuk-pagination__link--next")
    assert next_link["href"] == "/search/?type=resource&page=2"
    second = page(client, type="resource", page=2)
    assert second.select_one("a.nhsuk-pagination__link--prev")["href"] == "/search/?type=resource"


def test_a_long_description_of_a_local_problem_is_searched(client):
    described = (
        "we run a busy maternity unit in a deprived city and many of the pregnant women we book "
        "smoke, live in overcrowded housing and book late, so we want to know which local "
        "services and evidence show what works to reduce infant deaths"
    )
    assert 200 < len(described) <= MAX_QUERY_LENGTH
    soup = page(client, q=described)
    assert soup.select_one(".nhsuk-error-summary") is None
    assert soup.select("#results li, ol li") and "results for" in text(soup.find(id="result-count"))


def test_long_query_is_a_form_error(client):
    soup = page(client, q=TOO_LONG)
    summary = soup.select_one(".nhsuk-error-summary")
    assert f"{MAX_QUERY_LENGTH} characters or fewer" in text(summary)
    assert summary.find("a")["href"] == "#q"
    assert soup.select_one(".nhsuk-error-message")


def result_titles(soup):
    return [text(h) for h in soup.select(".kb-result h3")]


def form_fields(soup):
    """What a browser submits for the search form: named inputs, checked boxes, selected sort."""
    form = soup.find("form", id="search-form")
    fields = []
    for field in form.find_all(["input", "select"]):
        if field.name == "select":
            option = field.find("option", selected=True) or field.find("option")
            fields.append((field["name"], option["value"]))
        elif field.get("type") != "checkbox" or field.has_attr("checked"):
            fields.append((field["name"], field.get("value", "")))
    return fields


def test_form_error_keeps_the_filters_and_sort(client):
    filters = {"theme": "reducing-maternal-smoking", "type": ["case_study", "resource"]}
    soup = page(client, q=TOO_LONG, sort="title", **filters)
    assert soup.select_one(".nhsuk-error-summary")
    fields = form_fields(soup)
    assert sorted(f for f in fields if f[0] != "q") == [
        ("sort", "title"),
        ("theme", "reducing-maternal-smoking"),
        ("type", "case_study"),
        ("type", "resource"),
    ]
    # Resubmitting with a shorter query searches with the same filters and sort.
    resubmitted = [("q", "smoking") if name == "q" else (name, value) for name, value in fields]
    response = client.get("/search/?" + urlencode(resubmitted))
    assert response.status_code == 200
    again = BeautifulSoup(response.content, "html.parser")
    chips = sorted(text(chip) for chip in again.select("a.kb-chip"))
    assert chips == [
        "Remove filter Theme: Reducing maternal smoking ×",
        "Remove filter Type of content: Case study ×",
        "Remove filter Type of content: Resource ×",
    ]
    assert again.find("option", attrs={"value": "title"}).has_attr("selected")


def test_results_page_has_no_hidden_copies_of_the_filters(client):
    soup = page(client, q="smoking", theme="reducing-maternal-smoking", sort="title")
    assert not soup.select("#search-form input[type=hidden]")


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "-3"}, {"page": "0"}])
def test_bad_page_falls_back_to_the_first_page(client, params):
    soup = page(client, type="resource", **params)
    assert result_titles(soup) == result_titles(page(client, type="resource"))
    assert not soup.select_one("a.nhsuk-pagination__link--prev")


def test_bad_sort_falls_back_to_relevance(client):
    soup = page(client, q="smoking", sort="nonsense")
    assert soup.find("option", attrs={"value": "relevance"}).has_attr("selected")
    assert result_titles(soup) == result_titles(page(client, q="smoking"))


def test_page_past_the_end_shows_the_last_page(client):
    soup = page(client, type="resource", page="99")
    previous = soup.select_one("a.nhsuk-pagination__link--prev")
    last = re.fullmatch(
        r"Page (\d+) of (\d+)", text(previous.select_one(".nhsuk-pagination__page"))
    )
    assert int(last[1]) == int(last[2]) - 1 >= 1
    assert not soup.select_one("a.nhsuk-pagination__link--next")
    assert result_titles(soup) == result_titles(page(client, type="resource", page=last[2]))
    assert result_titles(soup)


def test_no_results_past_the_end_offers_no_pages(client):
    soup = page(client, q="zzqxjwv", page="5")
    assert text(soup.find(id="result-count")) == "No results for ‘zzqxjwv’"
    assert not soup.select_one("nav.nhsuk-pagination")


def test_unknown_facet_values_are_reported(client):
    soup = page(client, theme="made-up")
    assert "made-up" in text(soup.select_one(".kb-search-warnings"))


def test_zero_results_suggest_filters_to_remove(client):
    soup = page(client, q="overcrowding", type="news")
    assert text(soup.find(id="result-count")).startswith("No results")
    help_text = text(soup.select_one(".kb-no-results"))
    assert "Remove the type of content filter" in help_text
    link = soup.select_one(".kb-no-results a[href^='/search/?q=overcrowding']")
    assert link["href"] == "/search/?q=overcrowding"


def test_typo_is_corrected_and_the_page_says_so(client):
    soup = page(client, q="breastfeding")
    note = text(soup.select_one(".kb-corrected"))
    assert "No results for ‘breastfeding’" in note and "breastfeeding" in note
    assert soup.select(".kb-result")


def test_odd_queries_render(client):
    for query in ['"', "NEAR(", "*", "🙂", "<script>alert(1)</script>"]:
        soup = page(client, q=query)
        assert soup.find(id="result-count")


SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "params",
    [
        {"q": SCRIPT},
        {"q": "smoking " + SCRIPT},
        # the form-error path echoes the query and the filters as hidden inputs
        {
            "q": SCRIPT + "x" * MAX_QUERY_LENGTH,
            "theme": '"><script>alert(1)</script>',
            "sort": SCRIPT,
        },
    ],
)
def test_typed_markup_is_escaped(client, params):
    content = client.get("/search/", params).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert SCRIPT not in content


def test_api_echoes_the_query_as_json_data(client):
    response = client.get("/api/search/", {"q": SCRIPT})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["query"] == SCRIPT


def test_facet_checkboxes_escape_text_and_keep_selection_and_counts(client):
    """The facet lists are built in Python for speed (search/templatetags/search_tags.py)."""
    from search.facets import FACETS_BY_NAME
    from search.query.results import FacetValue
    from search.templatetags.search_tags import facet_checkboxes

    html = facet_checkboxes(
        FACETS_BY_NAME["theme"],
        [
            FacetValue(value='x"><script>', label="<b>Bold</b> & co", count=1, selected=True),
            FacetValue(value="plain", label="Plain", count=12),
        ],
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    first, second = soup.select("input")
    assert first["value"] == 'x"><script>' and first.has_attr("checked")
    assert second["value"] == "plain" and not second.has_attr("checked")
    assert first["id"] == "theme-1" and first["name"] == "theme"
    labels = [label.get_text() for label in soup.select("label")]
    assert labels == ["<b>Bold</b> & co (1 result)", "Plain (12 results)"]
    assert soup.find("label", attrs={"for": "theme-2"})


def test_the_faceted_page_keeps_its_checkboxes_in_the_form(client):
    soup = page(client, q="smoking", theme="reducing-maternal-smoking", type="case_study")
    form = soup.find("form", id="search-form")
    checked = {(box["name"], box["value"]) for box in form.select("input[type=checkbox][checked]")}
    assert checked == {("theme", "reducing-maternal-smoking"), ("type", "case_study")}
    for box in form.select("input[type=checkbox]"):
        assert form.find("label", attrs={"for": box["id"]})

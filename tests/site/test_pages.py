"""Every page type renders on the NHS.UK frontend with its key fields visible.

Real pages from the report's content, served through Django's test client and parsed as HTML.
"""

import re

import pytest
from bs4 import BeautifulSoup

from kb.models import (
    AreaPage,
    CaseStudyPage,
    EvidenceSummaryPage,
    GlossaryTerm,
    Intervention,
    NewsPage,
    ResourcePage,
)

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def text_of(soup):
    return " ".join(soup.get_text(" ").split())


def assert_nhs_layout(soup):
    """Header with the site search box, one h1, headings never skip a level, footer."""
    assert soup.select_one("header.nhsuk-header form[action='/search/'] input[name=q]")
    assert soup.select_one("link[href$='nhsuk-frontend-local.min.css']")
    assert soup.select_one("footer.nhsuk-footer")
    assert soup.select_one("main#maincontent")
    assert len(soup.find_all("h1")) == 1
    levels = [int(tag.name[1]) for tag in soup.find_all(re.compile(r"^h[1-6]$"))]
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading order jumps h{previous} to h{current}"


def test_home_page(client):
    soup = fetch(client, "/")
    assert_nhs_layout(soup)
    text = text_of(soup)
    assert soup.select_one("main form[action='/search/'] input[name=q]")
    tiles = soup.select(".kb-theme-tile")
    assert len(tiles) >= 10
    assert any("Housing" in tile.get_text() and "Core topic" in tile.get_text() for tile in tiles)
    assert re.search(r"\d+ case stud(y|ies), \d+ resources?", text)
    ranked = [h.get_text(strip=True) for h in soup.select(".kb-ranked__item h3")]
    expected = list(
        Intervention.objects.filter(gap_contribution_pp__isnull=False)
        .order_by("-gap_contribution_pp", "name")
        .values_list("name", flat=True)
    )
    assert ranked == expected
    assert "4 percentage points" in text
    assert soup.select_one(".kb-ranked__item a[href*='intervention=']")
    assert len(soup.select("#latest ~ ul .nhsuk-card")) >= 1
    assert soup.select_one("form[action='/areas/go/'] select[name=area] option[value=kirklees]")


def test_home_area_picker_works_without_javascript(client):
    response = client.get("/areas/go/", {"area": "kirklees"})
    assert response.status_code == 302
    assert response["Location"] == AreaPage.objects.get(area__slug="kirklees").url
    unknown = client.get("/areas/go/", {"area": "<script>"})
    assert unknown.status_code == 302 and unknown["Location"].endswith("/areas/")


def test_case_study_page(client):
    page = (
        CaseStudyPage.objects.live()
        .filter(outcomes__value__isnull=False, contacts__isnull=False)
        .exclude(started="")
        .distinct()
        .order_by("path")
        .first()
    )
    assert page is not None, "the content has a case study with outcomes, contacts and a start"
    soup = fetch(client, page.url)
    assert_nhs_layout(soup)
    glance = text_of(soup.select_one(".kb-at-a-glance"))
    areas = list(page.areas.all())
    assert areas
    for area in areas:
        assert area.name in glance
    assert page.get_evaluation_status_display() in glance
    for theme in page.themes.all():
        assert theme.name in glance
    for intervention in page.interventions.all():
        assert intervention.name in glance
    assert page.started in glance
    outcomes = list(page.outcomes.all())
    rows = soup.select("ul.kb-outcomes > li")
    assert len(rows) == len(outcomes)
    for outcome, row in zip(outcomes, rows, strict=True):
        assert outcome.measure in text_of(row)
    contact = page.contacts.first()
    card = text_of(soup.select_one(".kb-contact"))
    assert (contact.email or contact.name) in card
    assert soup.select_one("aside.kb-related")
    assert soup.select_one("link[rel=canonical]")["href"].endswith(page.url)


def test_resource_page_shows_the_2010_address_as_text(client):
    page = ResourcePage.objects.exclude(url_as_published="").first()
    soup = fetch(client, page.url)
    assert_nhs_layout(soup)
    text = text_of(soup)
    assert "Web address (as published in 2010)" in text
    assert page.url_as_published in text
    assert not soup.select(f"main a[href*='{page.url_as_published}']"), "never a live link"
    assert "Who it is for" in text


def test_resource_page_shows_order_codes_phone_and_languages(client):
    page = (
        ResourcePage.objects.live()
        .exclude(order_code="")
        .exclude(phone="")
        .exclude(languages="")
        .order_by("path")
        .first()
    )
    assert page is not None, "the content has a resource with an order code, phone and languages"
    how_to_get_it = text_of(fetch(client, page.url).select_one("main"))
    values = (page.order_code, page.phone, *page.language_list)
    assert all(values) and len(page.language_list) >= 1
    for value in values:
        assert value in how_to_get_it, value


def test_theme_hub_has_charts_tables_case_studies_and_resources(client):
    page = EvidenceSummaryPage.objects.get(theme__slug="housing")
    soup = fetch(client, page.url)
    assert_nhs_layout(soup)
    text = text_of(soup)
    assert page.table_title in text
    chart = soup.select_one(f"#chart-recommendations-{page.slug}")
    assert chart.select_one("svg[role=img] title")
    assert chart.select_one("details table")
    assert "Closer working between housing and health services" in text_of(chart)
    for study in CaseStudyPage.objects.live().filter(themes=page.theme):
        assert soup.select_one(f"#case-studies ~ ul a[href='{study.url}']")
    assert soup.select("#resources ~ ul a")
    assert soup.select_one(f"link[type='application/atom+xml'][href$='/{page.theme.slug}.atom']")


def test_national_picture_charts_use_the_reports_figures(client):
    page = EvidenceSummaryPage.objects.get(theme__isnull=True)
    soup = fetch(client, page.url)
    for chart_id in ("rm-gap", "breastfeeding-initiation", "smoking-at-delivery", "interventions"):
        chart = soup.select_one(f"#chart-{chart_id}")
        assert chart, chart_id
        assert chart.select_one("svg desc").get_text(strip=True)
        assert len(chart.select("svg rect")) == len(chart.select("tbody tr"))
    rm_gap = text_of(soup.select_one("#chart-rm-gap table"))
    stats = page.key_statistics.filter(chart="rm-gap")
    for stat in stats:
        assert stat.period in rm_gap
    assert "1997-99 13%" in rm_gap
    assert "64.8%" in text_of(soup.select_one("#chart-breastfeeding-initiation"))


def test_home_and_national_picture_introduce_figure_3_alike(client):
    national = EvidenceSummaryPage.objects.get(theme__isnull=True)
    intros = []
    for url in ("/", national.url):
        heading = fetch(client, url).select_one("h2#what-works")
        intros.append(text_of(heading.find_next_sibling("p")))
    assert intros[0] == intros[1] and "(Figure 3 of the report)" in intros[0]


def test_area_page(client):
    page = AreaPage.objects.get(area__slug="kirklees")
    soup = fetch(client, page.url)
    assert_nhs_layout(soup)
    text = text_of(soup)
    assert "Annex area" in text
    for study in CaseStudyPage.objects.live().filter(areas=page.area):
        assert study.title in text
    for core in ("Housing", "Reducing maternal smoking"):
        assert core in text_of(soup.select_one("#themes + p + ul"))
    assert soup.select("#evidence ~ ul a") and soup.select("#resources ~ ul a")


def test_area_index_lists_every_area_once_with_its_case_studies(client):
    soup = fetch(client, "/areas/")
    annex = [text_of(row.th) for row in soup.select("#annex ~ table")[0].select("tbody tr")]
    other = [text_of(row.th) for row in soup.select("#other ~ table")[0].select("tbody tr")]
    pages = AreaPage.objects.live().select_related("area").order_by("area__name")
    assert annex == [p.area.name for p in pages if p.area.is_annex_area]
    assert other == [p.area.name for p in pages if not p.area.is_annex_area]
    kirklees = next(row for row in soup.select("tbody tr") if text_of(row.th) == "Kirklees").select(
        "td"
    )[-1]
    expected = CaseStudyPage.objects.live().filter(areas__slug="kirklees").count()
    assert expected >= 1 and text_of(kirklees) == str(expected)


def test_glossary_page(client):
    soup = fetch(client, "/glossary/")
    assert_nhs_layout(soup)
    term = GlossaryTerm.objects.first()
    assert term.expansion in text_of(soup)


def test_news_page(client):
    page = NewsPage.objects.filter(quotes__isnull=False).first()
    soup = fetch(client, page.url)
    assert_nhs_layout(soup)
    quote = page.quotes.first()
    assert quote.person in text_of(soup.select_one(".kb-quote"))


REPORT_TITLE = "Tackling health inequalities in infant and maternal health outcomes"


def test_report_pages_cite_the_report_once(client):
    for model in (CaseStudyPage, ResourcePage, EvidenceSummaryPage):
        page = model.objects.live().exclude(source_reference="").first()
        soup = fetch(client, page.url)
        sources = soup.select("main .kb-source")
        assert [text_of(source) for source in sources] == [
            f"Source: {page.source_reference}, {REPORT_TITLE} (2010)."
        ]


def test_news_names_its_publication_and_never_the_report(client):
    page = NewsPage.objects.live().first()
    # Even a stray source reference (older loads set one) must not attribute news to the report.
    page.source_reference = "news.yaml"
    page.publication = "The Example Gazette"
    page.save()
    soup = fetch(client, page.url)
    main = text_of(soup.select_one("main"))
    assert REPORT_TITLE not in main
    assert not soup.select("main .kb-source")
    assert "news.yaml" not in main
    assert re.search(r"Published( .+)? in The Example Gazette", main)


def test_2010_wording_only_on_pages_from_the_report(client):
    resource = ResourcePage.objects.live().exclude(phone="").exclude(url_as_published="").first()
    study = CaseStudyPage.objects.live().filter(contacts__isnull=False).distinct().first()
    for page in (resource, study):
        assert page.source_reference and page.from_report
        assert "published in 2010" in text_of(fetch(client, page.url).select_one("main"))
        page.from_report = False  # what an editor's page is: it never came from the report
        page.save()
        main = text_of(fetch(client, page.url).select_one("main"))
        assert "2010" not in main, page.url
    assert f"Phone {resource.phone}" in text_of(fetch(client, resource.url).select_one("main"))


def test_core_topic_wording_uses_the_number_of_core_themes(client):
    from django.contrib.humanize.templatetags.humanize import apnumber

    from kb.models import Theme

    count = Theme.objects.filter(is_core=True).count()
    assert count >= 2
    home = text_of(fetch(client, "/"))
    assert f"The {apnumber(count)} core topics of the Infant Mortality" in home
    area = AreaPage.objects.get(area__slug="kirklees")
    assert f"plus the {apnumber(count)} core topics." in text_of(fetch(client, area.url))
    for theme in Theme.objects.filter(is_core=True)[1:]:  # as an editor would, one by one
        theme.is_core = False
        theme.save()
    assert "The one core topic of the Infant Mortality" in text_of(fetch(client, "/"))


@pytest.mark.parametrize(
    "url", ["/case-studies/", "/resources/", "/evidence/", "/areas/", "/news/"]
)
def test_index_pages(client, url):
    assert_nhs_layout(fetch(client, url))


def test_titles_and_descriptions_are_unique(client):
    urls = ["/", "/case-studies/", "/resources/", "/evidence/", "/areas/", "/news/", "/glossary/"]
    for model in (CaseStudyPage, ResourcePage, EvidenceSummaryPage, AreaPage, NewsPage):
        urls += [page.url for page in model.objects.live()[:6]]
    titles, descriptions = {}, {}
    for url in urls:
        soup = fetch(client, url)
        title = soup.title.get_text(strip=True)
        description = soup.select_one("meta[name=description]")["content"]
        assert title and description, url
        assert title not in titles, f"{url} shares its title with {titles.get(title)}"
        assert description not in descriptions, (
            f"{url} shares description with {descriptions.get(description)}"
        )
        titles[title] = descriptions[description] = url
        canonical = soup.select_one("link[rel=canonical]")["href"]
        assert canonical == f"http://testserver{url}"


def test_unknown_page_is_a_404_not_a_500(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/feeds/themes/no-such-theme.atom").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/areas/go/?area=%00",
        "/areas/go/?area=" + "x" * 5000,
        "/areas/go/?area=kirklees&area=leeds",
        "/feeds/themes/%00.atom",
        "/feeds/themes/" + "a" * 300 + ".atom",
        "/?q=%00%ff<script>",
        "/case-studies/?page=-1",
    ],
)
def test_bad_input_never_yields_a_server_error(client, url):
    assert client.get(url).status_code < 500


def test_header_search_box_echoes_the_query_safely(client):
    soup = fetch(client, "/glossary/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
    assert soup.select_one("#search-field")["value"] == '"><script>alert(1)</script>'
    assert not soup.select("header script")

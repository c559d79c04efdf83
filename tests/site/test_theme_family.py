"""A theme with sub-themes counts the same pages on its home tile, its hub and its feed."""

from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from kb.models import CaseStudyPage, EvidenceSummaryPage, ResourcePage, Theme

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SLUG = "maternal-and-infant-nutrition"


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_family_is_the_theme_and_its_children():
    theme = Theme.objects.get(slug=SLUG)
    children = list(Theme.objects.filter(parent=theme))
    assert children, "the content should give this theme sub-themes"
    assert theme.family() == [theme, *children]
    assert children[0].family() == [children[0]]


def test_tile_hub_and_feed_count_the_same_pages(client):
    theme = Theme.objects.get(slug=SLUG)
    family = theme.family()
    expected_studies = set(
        CaseStudyPage.objects.live().filter(themes__in=family).values_list("pk", flat=True)
    )
    expected_resources = set(
        ResourcePage.objects.live().filter(themes__in=family).values_list("pk", flat=True)
    )
    # The sub-themes must add pages, or this test could not tell the two rules apart.
    assert expected_studies != set(
        CaseStudyPage.objects.live().filter(themes=theme).values_list("pk", flat=True)
    ) or expected_resources != set(
        ResourcePage.objects.live().filter(themes=theme).values_list("pk", flat=True)
    )

    hub = EvidenceSummaryPage.objects.get(theme=theme)
    soup = soup_of(client, hub.url)
    hub_studies = soup.select("#case-studies ~ ul")[0].select("li > a")
    hub_resources = soup.select("#resources ~ ul")[0].select("li > a")
    assert len(hub_studies) == len(expected_studies)
    assert len(hub_resources) == len(expected_resources)

    tile = next(
        tile
        for tile in soup_of(client, "/").select(".kb-theme-tile")
        if tile.select_one("a").get_text(strip=True) == theme.name
    )
    counts = " ".join(tile.select_one(".kb-counts").get_text(" ").split())
    studies_word = "case study" if len(expected_studies) == 1 else "case studies"
    resources_word = "resource" if len(expected_resources) == 1 else "resources"
    assert counts == (
        f"{len(expected_studies)} {studies_word}, {len(expected_resources)} {resources_word}"
    )

    response = client.get(f"/feeds/themes/{SLUG}.atom")
    assert response.status_code == 200
    entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert sum(t.startswith("Case study: ") for t in titles) == len(expected_studies)
    assert sum(t.startswith("Resource: ") for t in titles) == len(expected_resources)


def test_hub_search_link_carries_every_family_slug(client):
    theme = Theme.objects.get(slug=SLUG)
    soup = soup_of(client, EvidenceSummaryPage.objects.get(theme=theme).url)
    link = next(a for a in soup.select("main a") if a.get_text().startswith("Search everything"))
    query = parse_qs(urlsplit(link["href"]).query)
    assert sorted(query["theme"]) == sorted(member.slug for member in theme.family())
    # The search ORs values within a facet, so the link finds pages tagged only a sub-theme.
    results = client.get(link["href"])
    assert results.status_code == 200


def test_theme_feed_links_to_the_hub(client):
    theme = Theme.objects.get(slug=SLUG)
    feed = ElementTree.fromstring(client.get(f"/feeds/themes/{SLUG}.atom").content)
    links = [link.get("href") for link in feed.findall(f"{ATOM}link")]
    hub = EvidenceSummaryPage.objects.get(theme=theme)
    assert any(href.endswith(hub.url) for href in links), links

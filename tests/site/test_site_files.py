"""robots.txt, sitemap.xml and the Atom feeds, fetched over the real URL routes."""

import xml.etree.ElementTree as ET

import pytest

from kb.models import CaseStudyPage, ResourcePage, Theme

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_every_live_page(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for page in [CaseStudyPage.objects.live().first(), ResourcePage.objects.live().first()]:
        assert any(location.endswith(page.url) for location in locations)


def test_site_wide_feed_has_case_studies_and_resources_newest_first(client):
    response = client.get("/feeds/latest.atom")
    assert response.status_code == 200
    assert "atom" in response["Content-Type"]
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert any(title.startswith("Case study: ") for title in titles)
    assert any(title.startswith("Resource: ") for title in titles)
    published = [entry.findtext(f"{ATOM}published") for entry in entries]
    assert published == sorted(published, reverse=True)
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/")


def test_theme_feed_only_has_that_theme(client):
    theme = Theme.objects.get(slug="reducing-maternal-smoking")
    feed = ET.fromstring(client.get(f"/feeds/themes/{theme.slug}.atom").content)
    titles = {
        entry.findtext(f"{ATOM}title").split(": ", 1)[1] for entry in feed.findall(f"{ATOM}entry")
    }
    expected = set(
        CaseStudyPage.objects.live().filter(themes=theme).values_list("title", flat=True)
    ) | set(ResourcePage.objects.live().filter(themes=theme).values_list("title", flat=True))
    assert titles == expected

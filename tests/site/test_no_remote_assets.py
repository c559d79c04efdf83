"""Nothing loads from another host: every script, stylesheet, icon and image is ours."""

import pytest
from bs4 import BeautifulSoup

from kb.models import AreaPage, CaseStudyPage, EvidenceSummaryPage, NewsPage, ResourcePage

pytestmark = pytest.mark.django_db


def asset_references(html):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["script", "img", "iframe", "source"], src=True):
        yield tag["src"]
    for tag in soup.find_all("link", href=True):
        if set(tag.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload"}:
            yield tag["href"]


def page_urls():
    urls = ["/", "/search/?q=cot+death", "/api/docs", "/glossary/", "/areas/"]
    for model in (CaseStudyPage, ResourcePage, EvidenceSummaryPage, AreaPage, NewsPage):
        urls.append(model.objects.live().first().url)
    return urls


def test_every_asset_is_served_from_this_site(client):
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        references = list(asset_references(response.content.decode()))
        assert references, url
        remote = [ref for ref in references if ref.startswith(("http:", "https:", "//"))]
        assert not remote, (url, remote)

"""A view-restricted page never shows up in a public listing, as feeds and search already do."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from kb.models import AreaPage, CaseStudyPage, EvidenceSummaryPage

pytestmark = pytest.mark.django_db


def main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    main = BeautifulSoup(response.content, "html.parser").select_one("main")
    return " ".join(main.get_text(" ").split())


def test_restricted_case_study_leaves_hub_home_and_listings(client):
    # The newest case study is on the home page; pick one that also has a theme hub and an area.
    study = (
        CaseStudyPage.objects.live()
        .filter(themes__evidence_summaries__live=True, areas__page__live=True)
        .distinct()
        .order_by("-first_published_at", "-pk")
        .first()
    )
    hub = EvidenceSummaryPage.objects.live().filter(theme__in=study.themes.all()).first()
    area = AreaPage.objects.live().get(area__in=study.areas.all()[:1])
    urls = ["/", hub.url, area.url, "/case-studies/"]
    for url in urls:
        assert study.title in main_text(client, url), url

    PageViewRestriction.objects.create(page=study, restriction_type=PageViewRestriction.LOGIN)

    for url in urls:
        assert study.title not in main_text(client, url), url
    assert client.get(study.url).status_code == 302  # still there, behind a login

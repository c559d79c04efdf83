"""Each public page type runs at most 20 SQL queries, whatever the amount of content.

Measured in steady state: one request warms per-process caches (content types, site root
paths), as a running server would have, then the next request of that type is counted.
"""

import pytest

from kb.models import AreaPage, CaseStudyPage, EvidenceSummaryPage, NewsPage, ResourcePage

pytestmark = pytest.mark.django_db
MAX_QUERIES = 20


def urls_for(model, **filters):
    pages = list(model.objects.live().filter(**filters).order_by("path")[:2])
    assert len(pages) == 2
    return [page.url for page in pages]


def page_pairs():
    return {
        "home": ["/", "/"],
        "search": ["/search/?q=smoking", "/search/?q=breastfeeding&theme=breastfeeding"],
        "theme hub": urls_for(EvidenceSummaryPage, theme__isnull=False),
        "national picture": ["/evidence/", EvidenceSummaryPage.objects.get(theme__isnull=True).url],
        "case study": urls_for(CaseStudyPage),
        "resource": urls_for(ResourcePage),
        "area": urls_for(AreaPage),
        "news": urls_for(NewsPage),
        "case study index": ["/areas/", "/case-studies/"],
        "area index": ["/case-studies/", "/areas/"],
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "search",
        "theme hub",
        "national picture",
        "case study",
        "resource",
        "area",
        "news",
        "case study index",
        "area index",
    ],
)
def test_page_type_query_count(client, django_assert_max_num_queries, name):
    warm_up, measured = page_pairs()[name]
    assert client.get(warm_up).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(measured)
    assert response.status_code == 200

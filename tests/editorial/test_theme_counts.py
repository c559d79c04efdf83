"""A parent theme in the search facet includes its sub-themes, as its tile and hub do (defect 8)."""

import pytest

from kb.models import CaseStudyPage, Theme

pytestmark = pytest.mark.django_db
SLUG = "maternal-and-infant-nutrition"


def facet_count(client, **params):
    response = client.get("/api/search/", {"q": "", "type": "case_study", **params})
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    return data, {value["value"]: value["count"] for value in data["facets"]["theme"]}


def test_parent_theme_facet_counts_its_family(client):
    theme = Theme.objects.get(slug=SLUG)
    family_count = CaseStudyPage.objects.live().filter(themes__in=theme.family()).distinct().count()
    own_count = CaseStudyPage.objects.live().filter(themes=theme).count()
    assert family_count > own_count, "sub-themes must add case studies, or this cannot tell"
    _, counts = facet_count(client)
    assert counts[SLUG] == family_count
    filtered, _ = facet_count(client, theme=SLUG)
    assert filtered["total"] == family_count
    home = client.get("/")
    tile = next(t for t in home.context["theme_tiles"] if t["theme"].slug == SLUG)
    assert tile["case_study_count"] == family_count

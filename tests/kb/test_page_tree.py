"""Editors can only create each page type in its place in the tree."""

import pytest
from django.contrib.auth import get_user_model

from kb.models import (
    AreaIndexPage,
    AreaPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    EvidenceIndexPage,
    EvidenceSummaryPage,
    GlossaryPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
)

pytestmark = pytest.mark.django_db

PLACES = [
    (CaseStudyPage, CaseStudyIndexPage),
    (ResourcePage, ResourceIndexPage),
    (EvidenceSummaryPage, EvidenceIndexPage),
    (AreaPage, AreaIndexPage),
    (NewsPage, NewsIndexPage),
]


@pytest.mark.parametrize(("page_model", "index_model"), PLACES)
def test_leaf_pages_only_under_their_own_index(page_model, index_model, home):
    assert page_model.can_create_at(index_model.objects.get())
    assert not page_model.can_create_at(home)
    for _, other_index in PLACES:
        if other_index is not index_model:
            assert not page_model.can_create_at(other_index.objects.get())


def test_index_pages_are_singletons_under_home(home):
    for model in (CaseStudyIndexPage, ResourceIndexPage, GlossaryPage, NewsIndexPage):
        assert model.objects.child_of(home).count() == 1
        assert not model.can_create_at(home), "max_count=1 should stop a second one"
    assert not HomePage.can_create_at(CaseStudyIndexPage.objects.get())


def test_admin_refuses_a_case_study_under_the_home_page(client, home):
    admin = get_user_model().objects.create_superuser("editor", "e@example.invalid", "pw")
    client.force_login(admin)
    wrong = client.get(f"/admin/pages/add/kb/casestudypage/{home.pk}/", follow=True)
    assert wrong.redirect_chain[-1][0] == "/admin/"
    assert b"Sorry, you do not have permission to access this area." in wrong.content
    index = CaseStudyIndexPage.objects.get()
    right = client.get(f"/admin/pages/add/kb/casestudypage/{index.pk}/")
    assert right.status_code == 200
    assert b"Tagging (drives search facets)" in right.content


def test_editor_adds_a_case_study_in_the_admin(client):
    """The editors' journey: fill the form, publish, and the page is live with its tags."""
    from kb.models import Area, Theme

    admin = get_user_model().objects.create_superuser("editor", "e@example.invalid", "pw")
    client.force_login(admin)
    index = CaseStudyIndexPage.objects.get()
    theme = Theme.objects.get(slug="housing")
    area = Area.objects.get(slug="leeds")
    form = {
        "title": "Leeds housing pilot",
        "slug": "leeds-housing-pilot",
        "summary": "A new pilot.",
        "themes": [theme.pk],
        "areas": [area.pk],
        "evaluation_status": "none",
        "action-publish": "publish",
    }
    for prefix in ("outcomes", "contacts"):
        form.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    response = client.post(f"/admin/pages/add/kb/casestudypage/{index.pk}/", form)
    assert response.status_code == 302, response.content[:2000]
    page = CaseStudyPage.objects.get(slug="leeds-housing-pilot")
    assert page.live
    assert list(page.themes.values_list("slug", flat=True)) == ["housing"]
    assert client.get(page.url).status_code == 200

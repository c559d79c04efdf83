"""Defect 3: adding, changing or removing a view restriction updates the index at once.

A restricted page (or every page under a restricted section) leaves search, the API and title
suggestions when the restriction is saved, and comes back when it is removed.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from kb.models import CaseStudyIndexPage, CaseStudyPage
from search.engines import SearchRequest


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def indexed_ids(engine):
    ids, page = set(), 1
    while True:
        response = engine.search(SearchRequest(page=page, page_size=100))
        ids |= {hit.id for hit in response.hits}
        if page >= response.pages:
            return ids
        page += 1


@pytest.fixture
def case_study(isolated_index):
    return CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")


def test_a_password_restriction_removes_the_page_from_search_and_suggestions(
    isolated_index, case_study, commit
):
    assert case_study.pk in indexed_ids(isolated_index)
    assert case_study.title in isolated_index.suggest(case_study.title[:12])
    commit(
        lambda: PageViewRestriction.objects.create(
            page=case_study, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    )
    assert case_study.pk not in indexed_ids(isolated_index)
    assert case_study.title not in isolated_index.suggest(case_study.title[:12])


def test_restricting_a_section_removes_every_page_under_it(isolated_index, commit):
    section = CaseStudyIndexPage.objects.get()
    under = set(CaseStudyPage.objects.live().descendant_of(section).values_list("pk", flat=True))
    assert len(under) >= 3 and under <= indexed_ids(isolated_index)
    commit(
        lambda: PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.LOGIN
        )
    )
    assert not under & indexed_ids(isolated_index)


def test_removing_a_restriction_puts_the_pages_back(isolated_index, commit):
    section = CaseStudyIndexPage.objects.get()
    under = set(CaseStudyPage.objects.live().descendant_of(section).values_list("pk", flat=True))
    restriction = commit(
        lambda: PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.LOGIN
        )
    )
    commit(restriction.delete)
    assert under <= indexed_ids(isolated_index)


def test_changing_a_restriction_keeps_the_pages_out(isolated_index, case_study, commit):
    restriction = commit(
        lambda: PageViewRestriction.objects.create(
            page=case_study, restriction_type=PageViewRestriction.PASSWORD, password="one"
        )
    )
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.password = ""
    commit(restriction.save)
    commit(lambda: restriction.groups.set([Group.objects.get_or_create(name="Private")[0]]))
    assert case_study.pk not in indexed_ids(isolated_index)


def test_restricting_through_the_admin_privacy_form_updates_the_index(
    isolated_index, case_study, commit, admin_client
):
    response = commit(
        lambda: admin_client.post(
            f"/admin/pages/{case_study.pk}/privacy/",
            {"restriction_type": "password", "password": "s3cret-word", "groups": []},
        )
    )
    assert response.status_code == 200, response.content[:500]
    assert PageViewRestriction.objects.filter(page=case_study).exists()
    assert case_study.pk not in indexed_ids(isolated_index)

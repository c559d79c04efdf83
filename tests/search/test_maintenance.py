"""The index follows publishing, unpublishing, deleting, moving and taxonomy renames at once."""

import pytest

from kb.models import CaseStudyPage, ResourceIndexPage, Theme
from search.engines import SearchRequest


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what would happen at commit (index updates wait for the transaction to commit)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def found(engine, query="", **filters):
    response = engine.search(SearchRequest.build(query=query, filters=filters))
    return {hit.id: hit for hit in response.hits}, response


@pytest.fixture
def case_study(isolated_index):
    return CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")


def test_publishing_indexes_new_text_and_new_themes(isolated_index, case_study, commit):
    housing = Theme.objects.get(slug="housing")
    case_study.title = "Young fathers and housing in Newcastle"
    case_study.themes.add(housing)
    commit(lambda: case_study.save_revision().publish())
    hits, _ = found(isolated_index, "fathers housing", theme=["housing"])
    assert hits[case_study.pk].title == "Young fathers and housing in Newcastle"
    assert "Housing" in hits[case_study.pk].themes


def test_saving_a_draft_changes_nothing(isolated_index, case_study, commit):
    case_study.title = "Draft title only"
    commit(lambda: case_study.save_revision())
    assert not found(isolated_index, "draft title only")[0]


def test_unpublishing_removes_the_page(isolated_index, case_study, commit):
    commit(case_study.unpublish)
    assert case_study.pk not in found(isolated_index, "young fathers")[0]


def test_deleting_removes_the_page(isolated_index, case_study, commit):
    page_id = case_study.pk
    commit(case_study.delete)
    assert page_id not in found(isolated_index, "young fathers")[0]


def test_moving_updates_the_url(isolated_index, case_study, commit):
    target = ResourceIndexPage.objects.get()
    commit(lambda: case_study.move(target, pos="last-child"))
    hit = found(isolated_index, "young fathers")[0][case_study.pk]
    assert hit.url == f"/resources/{case_study.slug}/"


def test_renaming_a_theme_reindexes_pages_that_use_it(isolated_index, commit):
    theme = Theme.objects.get(slug="housing")
    theme.name = "Housing and homelessness"
    commit(theme.save)
    _, response = found(isolated_index, "homelessness")
    labels = {v.value: v.label for v in response.facets["theme"]}
    assert labels["housing"] == "Housing and homelessness"
    assert response.total >= 1


def test_after_all_that_check_finds_no_drift(isolated_index, case_study, commit):
    commit(lambda: case_study.save_revision().publish())
    commit(case_study.unpublish)
    from search.indexing import all_documents

    assert not isolated_index.check(list(all_documents())).drift

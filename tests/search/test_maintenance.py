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
    from search.documents import all_documents

    assert not isolated_index.check(list(all_documents())).drift


@pytest.fixture
def engine_calls(isolated_index, monkeypatch):
    """Record the index writes the signal handlers make (on whichever engine they build)."""
    calls = []
    engine_class = type(isolated_index)
    for name in ("delete", "index_documents"):
        real = getattr(engine_class, name)

        def recording(self, items, real=real, name=name):
            calls.append((name, sorted(d["id"] if isinstance(d, dict) else d for d in items)))
            return real(self, items)

        monkeypatch.setattr(engine_class, name, recording)
    return calls


def test_deleting_a_live_page_writes_to_the_index_once(case_study, engine_calls, commit):
    page_id = case_study.pk
    commit(lambda: (case_study.unpublish(), case_study.delete()))
    assert engine_calls == [("delete", [page_id])]


def test_deleting_a_section_removes_every_page_under_it_in_one_call(engine_calls, commit):
    index = ResourceIndexPage.objects.get()
    resource_ids = sorted(index.get_children().values_list("pk", flat=True))
    commit(index.delete)
    assert len(engine_calls) == 1
    name, ids = engine_calls[0]
    assert name == "delete" and set(resource_ids) <= set(ids)


def test_a_rolled_back_delete_leaves_the_index_alone(
    isolated_index, case_study, engine_calls, commit
):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        case_study.delete()
        raise RuntimeError("the admin request failed")
    commit(lambda: None)
    assert engine_calls == []
    assert case_study.pk in found(isolated_index, "young fathers")[0]


def test_saving_a_theme_without_changing_its_label_reindexes_nothing(engine_calls, commit):
    theme = Theme.objects.get(slug="housing")
    theme.description = "Only the description changed."
    commit(theme.save)
    assert engine_calls == []
    theme.name = "Housing and homes"
    commit(theme.save)
    assert engine_calls and engine_calls[0][0] == "index_documents"


def test_renaming_a_publisher_reindexes_its_resources(isolated_index, commit):
    from kb.models import Organisation

    nice = Organisation.objects.get(slug="nice")
    nice.short_name = "NICE (renamed)"
    commit(nice.save)
    _, response = found(isolated_index, "", type=["resource"])
    labels = {v.value: v.label for v in response.facets["publisher"]}
    assert labels["nice"] == "NICE (renamed)"


def tagged_ids(engine, theme_slug):
    return set(found(engine, "", theme=[theme_slug])[0])


def test_moving_a_sub_theme_under_another_parent_reindexes_its_pages(isolated_index, commit):
    """A page counts under its theme's parent, so a new parent changes its document."""
    breastfeeding = Theme.objects.get(slug="breastfeeding")
    tagged = set(
        CaseStudyPage.objects.live().filter(themes=breastfeeding).values_list("pk", flat=True)
    )
    assert tagged and tagged <= tagged_ids(isolated_index, "maternal-and-infant-nutrition")
    breastfeeding.parent = Theme.objects.get(slug="child-poverty")
    commit(breastfeeding.save)
    assert tagged <= tagged_ids(isolated_index, "child-poverty")
    others = set(
        CaseStudyPage.objects.live()
        .filter(themes__slug__in=["maternal-and-infant-nutrition", "maternal-obesity"])
        .values_list("pk", flat=True)
    )
    assert tagged_ids(isolated_index, "maternal-and-infant-nutrition") & (tagged - others) == set()


def test_renaming_a_parent_theme_relabels_pages_tagged_only_with_its_sub_themes(
    isolated_index, commit
):
    nutrition = Theme.objects.get(slug="maternal-and-infant-nutrition")
    only_sub_theme = set(
        CaseStudyPage.objects.live()
        .filter(themes__parent=nutrition)
        .exclude(themes=nutrition)
        .values_list("pk", flat=True)
    )
    assert only_sub_theme
    nutrition.name = "Nutrition in pregnancy and infancy"
    commit(nutrition.save)
    hits, _ = found(isolated_index, "", theme=["breastfeeding", "maternal-obesity"])
    for page_id in only_sub_theme:
        assert "Nutrition in pregnancy and infancy" in hits[page_id].themes

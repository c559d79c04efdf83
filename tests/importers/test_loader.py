"""The loader is idempotent, updates only what changed, and never touches an editor's work."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Page

from importers.loader import ContentLoader
from importers.models import ImportedItem
from kb.models import CaseStudyPage, Theme

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


def edit_item(folder, kind, key, **changes):
    path = folder / f"{kind}.yaml"
    items = yaml.safe_load(path.read_text())
    for item in items:
        if item.get("key") == key:
            item.update(changes)
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False))


def test_second_run_changes_nothing():
    revisions_before = {p.pk: p.latest_revision_id for p in Page.objects.all()}
    report = ContentLoader(FIXTURES).run()
    assert report.changed == 0
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values())
    assert {p.pk: p.latest_revision_id for p in Page.objects.all()} == revisions_before


def test_a_changed_item_updates_only_that_item(fixtures_copy):
    edit_item(fixtures_copy, "case_studies", "leeds-haamla", summary="An edited summary.")
    report = ContentLoader(fixtures_copy).run()
    assert report.changed == 1
    assert report.counts["case_study"]["updated"] == 1
    page = CaseStudyPage.objects.get(slug="leeds-haamla")
    assert page.summary == "An edited summary."
    assert page.live and not page.has_unpublished_changes


def test_editor_changes_are_kept(fixtures_copy, admin_user):
    page = CaseStudyPage.objects.get(slug="leeds-haamla")
    page.summary = "What an editor wrote."
    page.save_revision(user=admin_user).publish()
    edit_item(fixtures_copy, "case_studies", "leeds-haamla", summary="The file's new words.")
    report = ContentLoader(fixtures_copy).run()
    assert report.kept == ["case_study:leeds-haamla"]
    page.refresh_from_db()
    assert page.summary == "What an editor wrote."


def test_editor_changes_to_a_snippet_are_kept(fixtures_copy):
    theme = Theme.objects.get(slug="ethnicity")
    theme.description = "Editor's description."
    theme.save()
    edit_item(fixtures_copy, "themes", "ethnicity", description="From the file.")
    report = ContentLoader(fixtures_copy).run()
    assert "theme:ethnicity" in report.kept
    theme.refresh_from_db()
    assert theme.description == "Editor's description."


def test_editor_made_pages_are_neither_duplicated_nor_deleted(fixtures_copy):
    index = CaseStudyPage.objects.first().get_parent()
    mine = CaseStudyPage(title="An editor's own case study", slug="editors-own")
    index.add_child(instance=mine)
    mine.save_revision().publish()
    before = CaseStudyPage.objects.count()
    ContentLoader(fixtures_copy).run()
    assert CaseStudyPage.objects.count() == before
    assert CaseStudyPage.objects.filter(slug="editors-own").exists()


def test_the_command_reports_what_it_did(capsys):
    call_command("load_content")
    out = capsys.readouterr().out
    assert "case_study" in out and "unchanged  16" in out
    assert "0 item(s) created or updated" in out


def test_unknown_reference_is_a_clear_one_line_error(fixtures_copy):
    edit_item(fixtures_copy, "case_studies", "leeds-haamla", themes=["no-such-theme"])
    with pytest.raises(CommandError) as error:
        call_command("load_content", fixtures=str(fixtures_copy))
    assert "case_studies.yaml leeds-haamla: unknown themes 'no-such-theme'" in str(error.value)
    assert "\n" not in str(error.value)


def test_broken_yaml_names_the_file_and_line(fixtures_copy):
    (fixtures_copy / "news.yaml").write_text("- key: a\n  title: [unclosed\n")
    with pytest.raises(CommandError, match=r"news\.yaml line \d+: not valid YAML"):
        call_command("load_content", fixtures=str(fixtures_copy))


def test_bad_choice_is_reported(fixtures_copy):
    edit_item(fixtures_copy, "resources", "nice-ph27", resource_type="podcast")
    with pytest.raises(CommandError, match="'podcast' is not one of"):
        call_command("load_content", fixtures=str(fixtures_copy))


def test_an_adopted_editor_page_stays_kept_on_later_runs(fixtures_copy):
    """An editor made a page with a fixture's slug before the loader ran: never overwrite it."""
    page = CaseStudyPage.objects.get(slug="leeds-haamla")
    ImportedItem.objects.filter(kind="case_study", key="leeds-haamla").delete()
    page.summary = "Made by an editor."
    page.save_revision().publish()
    for _ in range(2):
        report = ContentLoader(fixtures_copy).run()
        assert report.kept == ["case_study:leeds-haamla"]
    page.refresh_from_db()
    assert page.summary == "Made by an editor."


def test_an_adopted_editor_snippet_stays_kept_on_later_runs(fixtures_copy):
    theme = Theme.objects.get(slug="ethnicity")
    ImportedItem.objects.filter(kind="theme", key="ethnicity").delete()
    theme.description = "An editor's own words."
    theme.save()
    edit_item(fixtures_copy, "themes", "ethnicity", description="From the file.")
    for _ in range(2):
        report = ContentLoader(fixtures_copy).run()
        assert "theme:ethnicity" in report.kept
    theme.refresh_from_db()
    assert theme.description == "An editor's own words."


def test_an_editors_choice_of_parent_theme_is_kept(fixtures_copy):
    breastfeeding = Theme.objects.get(slug="breastfeeding")
    breastfeeding.parent = None
    breastfeeding.save()
    edit_item(fixtures_copy, "themes", "breastfeeding", description="Changed in the file.")
    report = ContentLoader(fixtures_copy).run()
    assert "theme:breastfeeding" in report.kept
    breastfeeding.refresh_from_db()
    assert breastfeeding.parent is None


def test_a_second_run_after_adopting_an_identical_snippet_reports_it_unchanged():
    ImportedItem.objects.filter(kind="theme", key="housing").delete()
    report = ContentLoader(FIXTURES).run()
    assert report.counts["theme"]["unchanged"] == len(Theme.objects.all())
    assert report.changed == 0


def test_a_loop_of_parent_themes_is_a_clear_error(fixtures_copy):
    edit_item(fixtures_copy, "themes", "maternal-and-infant-nutrition", parent="breastfeeding")
    with pytest.raises(CommandError, match="parent themes form a loop among"):
        call_command("load_content", fixtures=str(fixtures_copy))


def test_an_editors_top_level_page_is_never_taken_for_the_placeholder(home):
    from wagtail.models import Page

    root = Page.get_first_root_node()
    mine = Page(title="Welcome to your new Wagtail site!", slug="home")
    root.add_child(instance=mine)
    mine.title = "An editor's landing page"
    mine.save()
    ContentLoader(FIXTURES).run()
    assert Page.objects.filter(pk=mine.pk).exists()


def test_a_loader_that_writes_a_new_field_still_knows_its_own_earlier_work():
    """Records written before a field joined the loader's values are not taken for an editor's."""
    for record in ImportedItem.objects.filter(kind="theme"):
        record.written_values.pop("parent_id")
        record.item_hash = "written by an older loader"
        record.save()
    report = ContentLoader(FIXTURES).run()
    assert report.kept == []
    assert report.counts["theme"]["updated"] == Theme.objects.count()
    assert ContentLoader(FIXTURES).run().changed == 0

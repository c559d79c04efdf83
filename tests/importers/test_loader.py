"""The loader is idempotent, updates only what changed, and never touches an editor's work."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Page

from importers.loader import ContentLoader
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

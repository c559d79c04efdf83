"""Defect 8: a stale edit form is refused, and simultaneous publishes on SQLite never fail."""

import shutil
import subprocess

from wagtail.models import Page

from kb.models import CaseStudyPage
from tests.editorial.admin_forms import edit_form, fill

from .helpers import PYTHON, ROOT, production_env


def edit_post(admin_client, page, loaded_revision, **extra):
    return admin_client.post(
        f"/admin/pages/{page.pk}/edit/",
        {
            "title": "Overwritten by a stale form",
            "action-publish": "action-publish",
            **extra,
            "loaded_revision_id": str(loaded_revision.pk),
            "loaded_revision_created_at": loaded_revision.created_at.isoformat(),
        },
        follow=True,
    )


def test_a_stale_edit_form_is_refused_with_a_compare_link(db, admin_client):
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    opened_on = page.save_revision()  # editor A opens the form on this revision
    page.title = "Editor B's newer title"
    page.save_revision().publish()  # editor B publishes meanwhile
    response = edit_post(admin_client, page, opened_on)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not saved" in text and "newer version" in text
    assert f"/admin/pages/{page.pk}/revisions/compare/{opened_on.pk}...latest/" in text
    assert "Title" in text and "Editor B&#x27;s newer title" in text  # what differs
    page.refresh_from_db()
    assert page.title == "Editor B's newer title"
    assert Page.objects.get(pk=page.pk).get_latest_revision().content["title"] == (
        "Editor B's newer title"
    )


def test_a_refused_stale_edit_keeps_what_the_editor_typed(db, admin_client):
    """The refusal re-shows the editor's form as they left it, so nothing they typed is lost."""
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    opened_on = page.save_revision()
    page.title = "Editor B's newer title"
    newer = page.save_revision()
    newer.publish()
    response = edit_post(admin_client, page, opened_on, title="Editor A's careful rewrite")
    assert response.redirect_chain == []  # the form itself, not a fresh copy of the page
    text = response.content.decode()
    assert "Not saved" in text
    assert 'value="Editor A&#x27;s careful rewrite"' in text
    # The re-shown form keeps its stale base, so autosave (Wagtail's rule) is refused too ...
    assert f'name="loaded_revision_created_at" value="{opened_on.created_at.isoformat()}"' in text
    # ... and it says what differs and offers the one button that replaces the newer version.
    assert "Replace their version with mine" in text
    assert f'name="replace_revision_id" value="{newer.pk}"' in text
    page.refresh_from_db()
    assert page.title == "Editor B's newer title"


def test_after_a_refusal_only_the_explicit_choice_replaces_the_newer_version(db, admin_client):
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    opened_on = page.save_revision()
    page.title = "Editor B's newer title"
    newer = page.save_revision()
    newer.publish()
    # Saving the refused form again, or autosaving it, is refused again.
    again = edit_post(admin_client, page, opened_on, title="Editor A's rewrite")
    assert "Not saved" in again.content.decode()
    autosave = admin_client.post(
        f"/admin/pages/{page.pk}/edit/",
        {
            "loaded_revision_id": str(newer.pk),
            "loaded_revision_created_at": opened_on.created_at.isoformat(),
            "title": "Editor A's rewrite",
        },
        headers={"accept": "application/json"},
    )
    assert autosave.json()["success"] is False
    assert Page.objects.get(pk=page.pk).get_latest_revision().pk == newer.pk
    replaced = edit_post(
        admin_client,
        page,
        opened_on,
        **fill(edit_form(admin_client, page), title="Editor A's rewrite"),
        **{"action-replace-newer-version": "Replace", "replace_revision_id": str(newer.pk)},
    )
    assert "Not saved" not in replaced.content.decode()
    latest = Page.objects.get(pk=page.pk).get_latest_revision()
    assert latest.pk != newer.pk and latest.content["title"] == "Editor A's rewrite"


def test_a_replace_naming_an_older_revision_is_refused(db, admin_client):
    """The choice names the version the editor saw; a later one is not replaced blindly."""
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    opened_on = page.save_revision()
    seen = page.save_revision()
    page.save_revision()
    response = edit_post(
        admin_client,
        page,
        opened_on,
        **{"action-replace-newer-version": "Replace", "replace_revision_id": str(seen.pk)},
    )
    assert "Not saved" in response.content.decode()


def test_the_editors_own_autosave_does_not_make_their_form_stale(db, admin_client, admin_user):
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    opened_on = page.save_revision()
    data = edit_form(admin_client, page)
    page.save_revision(user=admin_user)  # their autosave, after they opened the form
    response = edit_post(
        admin_client, page, opened_on, **fill(data, title="Saved after my autosave")
    )
    assert "Not saved" not in response.content.decode()
    assert Page.objects.get(pk=page.pk).get_latest_revision().content["title"] == (
        "Saved after my autosave"
    )


def test_a_current_form_is_not_refused(db, admin_client):
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    latest = page.save_revision()
    response = edit_post(admin_client, page, latest)
    assert "Not saved" not in response.content.decode()


TEN_PUBLISHES = """
import threading, django
django.setup()
from django.db import close_old_connections
from kb.models import CaseStudyPage
from tests.editorial.admin_forms import edit_form, fill
ids = list(CaseStudyPage.objects.live().values_list("pk", flat=True)[:10])
errors = []
barrier = threading.Barrier(len(ids))
def publish(pk):
    try:
        page = CaseStudyPage.objects.get(pk=pk)
        page.title += " (republished)"
        barrier.wait()
        page.save_revision().publish()
    except Exception as error:
        errors.append(repr(error))
    finally:
        close_old_connections()
threads = [threading.Thread(target=publish, args=(pk,)) for pk in ids]
[t.start() for t in threads]
[t.join(120) for t in threads]
print(len(ids), "published;", len(errors), "failed:", errors[:3])
from search.engines import SearchRequest, get_engine
found = get_engine().search(SearchRequest.build(query="republished"))
print(len({hit.id for hit in found.hits} & set(ids)), "of them found in the search index")
"""


def test_ten_simultaneous_publishes_on_sqlite_all_succeed(
    production_site, production_dir, tmp_path
):
    shutil.copy(production_dir / "db.sqlite3", tmp_path / "db.sqlite3")
    shutil.copy(production_dir / "search-index.sqlite3", tmp_path / "search-index.sqlite3")
    env = production_env(tmp_path)
    result = subprocess.run(
        [PYTHON, "-c", TEN_PUBLISHES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "10 published; 0 failed" in result.stdout, result.stdout + result.stderr[-3000:]
    assert "10 of them found in the search index" in result.stdout, result.stdout

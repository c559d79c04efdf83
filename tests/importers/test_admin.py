"""The admin: import form, suggestions on the edit form (panel script and no-JS page)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from importers.measure import retyped
from importers.models import PageImport
from kb.models import CaseStudyPage, Theme

pytestmark = pytest.mark.django_db
HTML = Path(__file__).with_name("html")


def test_an_editor_imports_an_uploaded_file_as_a_draft(admin_client):
    upload = SimpleUploadedFile(
        "table_layout.html", (HTML / "table_layout.html").read_bytes(), "text/html"
    )
    response = admin_client.post(
        "/admin/importers/import/", {"page_type": "case_study", "html_file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Created a draft case study: Stop smoking in pregnancy service, Dudley" in html
    assert "Funding" in html  # shown as left out
    page = PageImport.objects.get().page.specific
    assert not page.live and page.aims == "To reduce the number of women smoking at delivery."
    assert f"/admin/pages/{page.pk}/edit/" in html


def test_an_editor_imports_from_an_address(admin_client, web_server):
    response = admin_client.post(
        "/admin/importers/import/",
        {"page_type": "resource", "url": f"{web_server}/pages/council_news.html"},
    )
    assert "Created a draft resource" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "/report.pdf"}, "not a web page (it is application/pdf)"),
        ({"url": "/no-such-page"}, "the address answered 404"),
        ({}, "Give either a web address or an HTML file."),
    ],
)
def test_bad_input_is_a_form_error_and_creates_nothing(admin_client, web_server, data, message):
    if "url" in data:
        data = {"url": web_server + data["url"]}
    pages = CaseStudyPage.objects.count()
    response = admin_client.post("/admin/importers/import/", {"page_type": "case_study", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CaseStudyPage.objects.count() == pages and not PageImport.objects.exists()


def test_a_file_that_is_not_html_is_a_form_error(admin_client):
    upload = SimpleUploadedFile("report.pdf", (HTML / "not_html.pdf").read_bytes())
    response = admin_client.post(
        "/admin/importers/import/", {"page_type": "case_study", "html_file": upload}
    )
    assert "not an HTML file" in response.content.decode()


def test_someone_who_cannot_add_pages_cannot_import(client):
    user = User.objects.create_user("reader", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/importers/import/").status_code in (302, 403)


def test_the_edit_form_loads_the_suggestions_script_and_links_the_plain_list(admin_client):
    page = CaseStudyPage.objects.get(slug="leeds-haamla")
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'src="/static/importers/suggestions.js"' in html
    assert 'data-suggestions-url="/admin/importers/suggestions.json"' in html
    assert f"/admin/importers/suggestions/{page.pk}/" in html


def test_the_plain_suggestions_page_warns_of_a_duplicate_and_suggests_tags(admin_client):
    original = CaseStudyPage.objects.get(slug="calderdale-breastfeeding-baby-cafe")
    index = original.get_parent()
    draft = CaseStudyPage(
        title=retyped(original.title, "test"),
        slug="draft-copy",
        summary=original.summary,
        live=False,
    )
    index.add_child(instance=draft)
    draft.save_revision()
    html = admin_client.get(f"/admin/importers/suggestions/{draft.pk}/").content.decode()
    assert "This may already be in the knowledge base" in html
    assert original.title in html and original.url in html
    assert "Area: <strong>Calderdale</strong>" in html
    assert "Theme: <strong>Breastfeeding</strong>" in html


def test_the_suggestions_json_answers_for_text_typed_so_far(admin_client):
    original = CaseStudyPage.objects.get(slug="dudley-smoke-free-homes")
    response = admin_client.post(
        "/admin/importers/suggestions.json",
        {
            "type": "case_study",
            "title": retyped(original.title, "x"),
            "text": original.what_was_done,
        },
    )
    data = response.json()
    assert data["duplicates"][0]["title"] == original.title
    smoking = Theme.objects.get(slug="reducing-maternal-smoking")
    assert {"kind": "theme", "field": "themes", "pk": smoking.pk}.items() <= next(
        t for t in data["tags"] if t["pk"] == smoking.pk and t["kind"] == "theme"
    ).items()
    # Editing the original itself: it is not its own duplicate.
    response = admin_client.post(
        "/admin/importers/suggestions.json",
        {"type": "case_study", "page": original.pk, "title": original.title},
    )
    assert original.title not in [d["title"] for d in response.json()["duplicates"]]


def test_the_suggestions_json_refuses_bad_input(admin_client):
    assert (
        admin_client.post("/admin/importers/suggestions.json", {"type": "news"}).status_code == 400
    )
    response = admin_client.post(
        "/admin/importers/suggestions.json", {"type": "resource", "page": "x"}
    )
    assert response.status_code == 400


def test_the_figures_meet_the_targets():
    """The measured figures (printed by `manage.py suggestion_figures`)."""
    from importers.measure import measure

    figures = measure()
    assert figures.pages == 16
    assert figures.recall >= 0.8 and figures.precision >= 0.6
    assert figures.duplicate_first >= 14


def test_an_imported_drafts_suggestions_page_shows_where_it_came_from(admin_client, web_server):
    admin_client.post(
        "/admin/importers/import/",
        {"page_type": "case_study", "url": f"{web_server}/pages/shared_learning.html"},
    )
    page = PageImport.objects.get().page
    html = admin_client.get(f"/admin/importers/suggestions/{page.pk}/").content.decode()
    assert "Imported from a web page" in html
    assert f"{web_server}/pages/shared_learning.html" in html
    assert "Related examples (28 characters)" in html  # left out
    # The fields as the editor's form names them, never raw names like "start_year".
    mapped = html.split("What was mapped where", 1)[1].split("Left out", 1)[0]
    fields = re.findall(r"<tr><td>([^<]*)</td>", mapped)
    assert "What was done" in fields
    assert not [field for field in fields if "_" in field]
    assert "Area: <strong>Bolton</strong>" in html and "already on the page" in html

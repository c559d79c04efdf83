"""Each limit gives its form error (defect 4); consent for contact details; drafts found again (defect 6)."""

import pytest

from kb.models import CaseStudyIndexPage, CaseStudyPage, ResourcePage

from .admin_forms import add_form, add_inline_rows, edit_form, fill

pytestmark = pytest.mark.django_db


def post_new(client, contacts=(), action="action-publish", **fields):
    url, data = add_form(client, CaseStudyPage, CaseStudyIndexPage.objects.get())
    fill(data, title="Limits test", slug="limits-test", **fields)
    add_inline_rows(data, "contacts", contacts)
    data[action] = ["1"]
    return client.post(url, data)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_year": 20100}, "start_year", "no later than next year"),
        ({"start_year": 1066}, "start_year", "from 1900 onwards"),
        ({"summary": "x" * 10_000}, "summary", "at most 1000 characters"),
        ({"aims": "x" * 5_001}, "aims", "at most 5000 characters"),
    ],
    ids=["year-too-late", "year-too-early", "summary-too-long", "aims-too-long"],
)
def test_limits_give_form_errors(admin_client, fields, field, message):
    response = post_new(admin_client, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not CaseStudyPage.objects.filter(slug="limits-test").exists()


def test_resource_year_limit(admin_client):
    page = ResourcePage.objects.first()
    data = edit_form(admin_client, page)
    fill(data, year=20100)
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert "no later than next year" in " ".join(response.context["form"].errors["year"])


def test_named_contact_without_consent_is_refused(admin_client):
    contact = {"name": "Sam Example", "email": "sam@example.invalid"}
    response = post_new(admin_client, contacts=[contact])
    assert response.status_code == 200
    assert "agreed to their email or phone" in response.content.decode()
    assert not CaseStudyPage.objects.filter(slug="limits-test").exists()

    response = post_new(admin_client, contacts=[{**contact, "consent_confirmed": "on"}])
    assert response.status_code == 302
    saved = CaseStudyPage.objects.get(slug="limits-test").contacts.get()
    assert saved.consent_confirmed


def test_team_contact_needs_no_personal_consent(admin_client):
    response = post_new(
        admin_client, contacts=[{"organisation": "Example Council", "phone": "01234"}]
    )
    assert response.status_code == 302


def test_editing_a_report_case_study_keeps_its_published_contacts(admin_client):
    page = CaseStudyPage.objects.filter(contacts__email__gt="", from_report=True).first()
    data = edit_form(admin_client, page)
    fill(data, summary=page.summary + " Updated.")
    data["action-publish"] = ["1"]
    assert admin_client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302


def test_a_second_start_finds_the_autosaved_draft(admin_client):
    first = post_new(admin_client, action="action-save")
    assert first.status_code == 302
    draft = CaseStudyPage.objects.get(slug="limits-test")
    assert not draft.live
    again = post_new(admin_client, action="action-save")
    assert again.status_code == 200
    body = again.content.decode()
    assert "already in use" not in body
    assert "Carry on with that draft" in body
    assert f'href="/admin/pages/{draft.pk}/edit/"' in body

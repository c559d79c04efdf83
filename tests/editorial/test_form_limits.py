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


@pytest.mark.parametrize(
    "contact",
    [
        {"email": "rachel.spencer@example.invalid"},
        {"phone": "01234 567890"},
        {"organisation": "Example Council", "phone": "01234 567890"},
    ],
    ids=["email-no-name", "phone-no-name", "organisation-phone-not-marked-general"],
)
def test_any_persons_email_or_phone_needs_consent_named_or_not(admin_client, contact):
    response = post_new(admin_client, contacts=[contact])
    assert response.status_code == 200
    assert "agreed to their email or phone" in response.content.decode()
    assert not CaseStudyPage.objects.filter(slug="limits-test").exists()


def test_an_organisations_general_contact_marked_as_such_needs_no_consent(admin_client):
    general = {"organisation": "Example Council", "phone": "01234 567890", "general_contact": "on"}
    response = post_new(admin_client, contacts=[general])
    assert response.status_code == 302


def test_the_model_holds_every_text_limit():
    """The shell, the loader and the importer meet the same limits as the admin form."""
    from django.core.exceptions import ValidationError

    page = CaseStudyPage.objects.live().first()
    for field, limit in (("summary", 1000), ("aims", 5000), ("what_was_done", 20_000)):
        setattr(page, field, "x" * (limit + 1))
        with pytest.raises(ValidationError) as refused:
            page.full_clean()
        assert field in refused.value.message_dict
        setattr(page, field, "x" * limit)
    page.full_clean()


def test_a_public_page_never_shows_an_unconsented_persons_details(client):
    from kb.models import CaseStudyContact

    page = CaseStudyPage.objects.live().filter(from_report=False).first() or (
        CaseStudyPage.objects.live().first()
    )
    page.from_report = False
    page.contacts = [
        CaseStudyContact(email="rachel.spencer@example.invalid"),
        CaseStudyContact(
            organisation="Example Council", phone="0300 000 0000", general_contact=True
        ),
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "rachel.spencer@example.invalid" not in html
    assert "0300 000 0000" in html


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


def test_the_error_banner_shows_the_drafts_link_as_a_link(admin_client):
    """With another error on the form, Wagtail's banner lists the slug message: as HTML."""
    assert post_new(admin_client, action="action-save").status_code == 302
    again = post_new(admin_client, contacts=[{"email": "someone@example.invalid"}])
    body = again.content.decode()
    assert "&lt;a href" not in body
    banner = body.split('class="errorlist"', 1)[1].split("</ul>", 1)[0]
    assert "Slug: A draft called" in banner and "Carry on with that draft</a>" in banner

"""'Add child page' says why when the page-type rules allow nothing there (defect 9)."""

import pytest

from kb.models import AreaPage, CaseStudyIndexPage, HomePage

pytestmark = pytest.mark.django_db


def test_home_explains_its_sections_all_exist(admin_client):
    home = HomePage.objects.get()
    response = admin_client.get(f"/admin/pages/{home.pk}/add_subpage/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "do not have permission" not in body
    assert "they all exist already" in body


def test_area_page_explains_it_has_no_children(admin_client):
    area = AreaPage.objects.first()
    response = admin_client.get(f"/admin/pages/{area.pk}/add_subpage/", follow=True)
    body = response.content.decode()
    assert "do not have permission" not in body
    assert "has no pages under it" in body


def test_a_section_still_goes_straight_to_the_form(admin_client):
    section = CaseStudyIndexPage.objects.get()
    response = admin_client.get(f"/admin/pages/{section.pk}/add_subpage/")
    assert response.status_code == 302
    assert "/add/kb/casestudypage/" in response["Location"]


def test_signed_out_users_go_to_sign_in(client):
    response = client.get(f"/admin/pages/{HomePage.objects.get().pk}/add_subpage/")
    assert response.status_code == 302
    assert "login" in response["Location"]

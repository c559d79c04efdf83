"""The visit report and pack items tied to recommendations (issue 23, after a visit: 1 and 6).

Through the real admin forms and views: the rules a form checks, the report page, its PDF (read
back as text), the email to the area's lead contacts, and the frozen copy each sending keeps.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from support.models import PackItem, Recommendation, Visit
from tests.editorial.admin_forms import form_data

from .conftest import first_category, make_pack, make_visit, theme
from .test_visits import form_errors, post_visit, visit_data

pytestmark = pytest.mark.django_db

LEAD_CONTACTS = "Dana Director <dana@example.org>\nEli Lead <eli@example.org>"


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pack_form(client, pack):
    url = reverse("support_packs:edit", args=[pack.pk])
    return url, form_data(client.get(url).content.decode(), form_id="w-editor-form")


def recommend(visit, text, *, priority="high", owner_role="Director of Public Health"):
    return Recommendation.objects.create(
        visit=visit,
        text=text,
        theme=theme("strategic-approaches"),
        category=first_category("strategic-approaches"),
        priority=priority,
        owner_role=owner_role,
    )


# --- The area's lead contacts, on the visit ----------------------------------------------


def test_lead_contacts_are_a_name_and_an_address_a_line(support_client):
    text = form_errors(post_visit(support_client, visit_data(lead_contacts="dana at example")))
    assert "Line 1: that is not a valid email address." in text
    assert not Visit.objects.exists()

    response = post_visit(support_client, visit_data(lead_contacts=LEAD_CONTACTS))
    assert response.status_code == 302
    assert Visit.objects.get().lead_contacts == LEAD_CONTACTS


# --- 6. A pack item names the recommendation it supports -----------------------------------


def test_a_pack_item_offers_only_its_visits_recommendations(support_client):
    visit = make_visit()
    own = recommend(visit, "Write a single infant mortality plan")
    recommend(make_visit("kirklees"), "A Kirklees recommendation")
    pack = make_pack(visit)
    page = support_client.get(reverse("support_packs:edit", args=[pack.pk])).content.decode()
    assert "Write a single infant mortality plan" in page
    assert "A Kirklees recommendation" not in page

    url, data = pack_form(support_client, pack)
    data["items-0-recommendation"] = [str(own.pk)]
    response = support_client.post(url, data)
    assert response.status_code == 302
    assert pack.items.order_by("sort_order").first().recommendation == own


def test_a_recommendation_of_another_visit_is_a_form_error(support_client):
    visit = make_visit()
    other = recommend(make_visit("kirklees"), "A Kirklees recommendation")
    pack = make_pack(visit)
    url, data = pack_form(support_client, pack)
    data["items-0-recommendation"] = [str(other.pk)]
    text = form_errors(support_client.post(url, data))
    assert "is a recommendation of another visit" in text
    assert str(visit) in text
    assert not PackItem.objects.filter(recommendation=other).exists()


def test_a_pack_with_no_visit_names_no_recommendation(support_client):
    other = recommend(make_visit("kirklees"), "A Kirklees recommendation")
    pack = make_pack(None, area="sandwell")
    url, data = pack_form(support_client, pack)
    data["items-0-recommendation"] = [str(other.pk)]
    text = form_errors(support_client.post(url, data))
    assert "for an area not visited" in text
    assert not PackItem.objects.filter(recommendation=other).exists()

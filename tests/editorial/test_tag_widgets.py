"""Tagging in the page editor is real checkboxes, grouped, with a filter box on long lists (defect 7).

The contract other admin code relies on: `<input type="checkbox" name="<field>" value="<pk>">`.
"""

import pytest
from bs4 import BeautifulSoup

from kb.models import Area, CaseStudyIndexPage, CaseStudyPage, Intervention, ResourcePage, Theme

from .admin_forms import edit_form, fill

pytestmark = pytest.mark.django_db

FIELDS = {
    "themes": Theme,
    "areas": Area,
    "interventions": Intervention,
    "related_resources": ResourcePage,
}


def editor_soup(client, page):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_every_tag_field_is_one_checkbox_per_choice(admin_client):
    page = CaseStudyPage.objects.filter(areas__isnull=False).first()
    soup = editor_soup(admin_client, page)
    for name, model in FIELDS.items():
        boxes = soup.select(f'input[type=checkbox][name="{name}"]')
        expected = model.objects.count()
        assert len(boxes) == expected, name
        assert {box["value"] for box in boxes} == {
            str(pk) for pk in model.objects.values_list("pk", flat=True)
        }
        ticked = {int(box["value"]) for box in boxes if box.has_attr("checked")}
        assert ticked == set(getattr(page, name).values_list("pk", flat=True)), name
    assert not soup.select('select[name="areas"]')


def test_long_lists_are_grouped_and_filterable(admin_client):
    page = CaseStudyPage.objects.first()
    soup = editor_soup(admin_client, page)
    areas = soup.select_one("#id_areas")
    assert "kb-checkbox-list--filterable" in areas["class"]
    groups = [
        label.get_text(strip=True) for label in areas.select(":scope > div > label:not([for])")
    ]
    assert groups == ["Annex areas (named in the 2010 report)", "Other areas"] or set(groups) == {
        "Annex areas (named in the 2010 report)",
        "Other areas",
    }
    scripts = [script.get("src", "") for script in soup.select("script")]
    assert any(src.endswith("kb/js/checkbox-filter.js") for src in scripts)
    resources = soup.select_one("#id_related_resources")
    for resource in ResourcePage.objects.all()[:5]:
        assert resource.title in resources.get_text()


def test_ticking_boxes_saves_every_choice(admin_client):
    page = CaseStudyPage.objects.filter(areas__isnull=False).first()
    areas = list(Area.objects.order_by("pk")[:3])
    data = edit_form(admin_client, page)
    fill(data, areas=[area.pk for area in areas])
    data["action-publish"] = ["1"]
    assert admin_client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    page = CaseStudyPage.objects.get(pk=page.pk)
    assert set(page.areas.all()) == set(areas)
    assert CaseStudyIndexPage.objects.exists()

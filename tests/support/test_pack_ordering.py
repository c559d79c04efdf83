"""Reordering a pack's items without JavaScript: each item has a position to type, and one save
applies them all (reordering 12 items took 27 "Move up" clicks)."""

import re

import pytest
from django.urls import reverse

from kb.models import CaseStudyPage, ResourcePage
from tests.editorial.admin_forms import form_data

from .conftest import make_pack, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(support_client):
    pages = list(ResourcePage.objects.live().order_by("pk")[:8]) + list(
        CaseStudyPage.objects.live().order_by("pk")[:4]
    )
    assert len(pages) == 12
    pack = make_pack(make_visit(), pages=pages)
    url = reverse("support_packs:edit", args=[pack.pk])
    return pack, url, pages


def order(pack):
    return list(pack.items.order_by("sort_order").values_list("page_id", flat=True))


def positions_form(client, url):
    html = client.get(url).content.decode()
    return html, form_data(html, form_id="w-editor-form")


def test_each_item_has_a_labelled_position_to_type(support_client, twelve):
    pack, url, pages = twelve
    html, data = positions_form(support_client, url)
    for n in range(12):
        field = re.search(rf'<input[^>]*name="items-{n}-ORDER"[^>]*>', html).group(0)
        assert 'type="number"' in field, field
        assert f'value="{n + 1}"' in field
        assert re.search(rf'<label[^>]*for="id_items-{n}-ORDER"[^>]*>\s*Position', html)


def test_typed_positions_are_applied_in_one_save(support_client, twelve):
    pack, url, pages = twelve
    _, data = positions_form(support_client, url)
    # The last item to the top, the sixth to position 3: the others keep their order around them.
    data["items-11-ORDER"] = ["1"]
    data["items-5-ORDER"] = ["3"]
    response = support_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ids = [p.pk for p in pages]
    expected = [ids[11], ids[0], ids[5], ids[1], ids[2], ids[3], ids[4], *ids[6:11]]
    assert order(pack) == expected


def test_a_whole_new_order_is_applied_as_typed(support_client, twelve):
    pack, url, pages = twelve
    _, data = positions_form(support_client, url)
    for n in range(12):  # reversed, as the move buttons or dragging would number them
        data[f"items-{n}-ORDER"] = [str(12 - n)]
    assert support_client.post(url, data).status_code == 302
    assert order(pack) == [p.pk for p in reversed(pages)]


def test_positions_beyond_the_ends_go_to_the_ends(support_client, twelve):
    pack, url, pages = twelve
    _, data = positions_form(support_client, url)
    data["items-2-ORDER"] = ["99"]
    data["items-9-ORDER"] = ["0"]
    response = support_client.post(url, data)
    assert response.status_code == 302
    ids = [p.pk for p in pages]
    assert order(pack)[0] == ids[9]
    assert order(pack)[-1] == ids[2]
    assert len(order(pack)) == 12


def test_a_position_that_is_not_a_number_is_a_form_error(support_client, twelve):
    pack, url, pages = twelve
    _, data = positions_form(support_client, url)
    data["items-3-ORDER"] = ["top"]
    response = support_client.post(url, data)
    assert response.status_code == 200
    assert "Enter a whole number" in response.content.decode()
    assert order(pack) == [p.pk for p in pages]

"""Searching each taxonomy list in the admin finds by name (defect 2: it answered 500 on SQLite)."""

import pytest

pytestmark = pytest.mark.django_db

SEARCHES = [
    ("theme", "Housing", "Housing"),
    ("area", "Kirklees", "Kirklees"),
    ("intervention", "smoking", "smoking"),
    ("organisation", "NICE", "National Institute"),
    ("glossaryterm", "SUDI", "SUDI"),
]


@pytest.mark.parametrize(("model", "query", "expected"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_taxonomy_search_in_the_admin(admin_client, model, query, expected):
    response = admin_client.get(f"/admin/snippets/kb/{model}/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert expected.lower() in body.lower()
    assert "No kb" not in body


def test_search_narrows_the_list(admin_client):
    everything = admin_client.get("/admin/snippets/kb/area/")
    narrowed = admin_client.get("/admin/snippets/kb/area/", {"q": "Kirklees"})
    assert narrowed.status_code == 200
    assert "Kirklees" in narrowed.content.decode()
    assert "Bradford" in everything.content.decode()
    assert "Bradford" not in narrowed.content.decode()

"""The throwaway page type and facet (models.py, settings.py) work end to end.

Run by tests/search/test_page_type_registry.py under tests.extension.settings; not collected
by the main run (its name does not start with test_), whose settings do not install the app.
"""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from kb.models import HomePage, Theme
from search.engines import SearchRequest, get_engine
from search.engines.cluster.mapping import index_body
from search.policy import TAXONOMY_FIELDS
from tests.extension.models import Funder, ProgrammePage

pytestmark = pytest.mark.django_db

BODY = "Doorstep weighing clinics run by volunteers in tower blocks."


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """One funder, one programme page published under the home page, indexed on commit."""
    funder = Funder.objects.create(name="Healthy Start Fund", slug="healthy-start-fund")
    housing = Theme.objects.get(slug="housing")
    page = ProgrammePage(title="Tower block weighing clinics", slug="weighing", body=BODY)
    page.funders = [funder]
    page.themes = [housing]
    with django_capture_on_commit_callbacks(execute=True):
        HomePage.objects.get().add_child(instance=page)
        page.save_revision().publish()
    return page, funder


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_indexed_searchable_and_faceted(client, published):
    page, funder = published
    found = api(client, q="doorstep weighing volunteers", funder=funder.slug)
    assert [(r["title"], r["type"], r["url"]) for r in found["results"]] == [
        (page.title, "Programme", page.url)
    ]
    funders = {value["value"]: value for value in found["facets"]["funder"]}
    assert funders[funder.slug]["count"] == 1 and funders[funder.slug]["selected"]
    types = {value["value"]: value["count"] for value in found["facets"]["type"]}
    assert types == {"programme": 1}
    # Its themes count under their parents, as every page type's do; and the type filter works.
    assert api(client, type="programme", theme="housing")["total"] == 1
    html = client.get("/search/", {"funder": funder.slug}).content.decode()
    assert "Funder" in html and page.title in html


def test_renaming_a_funder_reindexes_its_pages(
    client, published, django_capture_on_commit_callbacks
):
    _page, funder = published
    funder.name = "Best Start Fund"
    with django_capture_on_commit_callbacks(execute=True):
        funder.save()
    labels = [value["label"] for value in api(client, funder=funder.slug)["facets"]["funder"]]
    assert labels == ["Best Start Fund"]


def test_in_the_api_schema(client):
    schema = client.get("/api/openapi.json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/search/"]["get"]["parameters"]
    }
    assert parameters["funder"]["description"] == "Funder slugs (OR)."
    assert "programme" in parameters["type"]["description"]


def test_importable_from_yaml(fixtures, django_capture_on_commit_callbacks):
    Funder.objects.create(name="Healthy Start Fund", slug="healthy-start-fund")
    (fixtures / "programmes.yaml").write_text(
        "- key: doorstep-weighing\n"
        "  title: Doorstep weighing\n"
        "  summary: Weighing clinics on the doorstep.\n"
        f"  body: {BODY}\n"
        "  funders: [healthy-start-fund]\n"
        "  themes: [housing]\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", fixtures=str(fixtures), verbosity=0)
    page = ProgrammePage.objects.get(slug="doorstep-weighing")
    assert page.live and page.body == BODY and page.get_parent().specific_class is HomePage
    assert [f.slug for f in page.funders.all()] == ["healthy-start-fund"]
    assert [t.slug for t in page.themes.all()] == ["housing"]
    hits = get_engine().search(SearchRequest.build(query="doorstep weighing")).hits
    assert page.pk in [hit.id for hit in hits]


def test_an_unknown_funder_is_a_one_line_error(fixtures):
    (fixtures / "programmes.yaml").write_text(
        "- key: x\n  title: X\n  funders: [nobody]\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match="unknown funder 'nobody'"):
        call_command("load_content", fixtures=str(fixtures), verbosity=0)
    assert not Page.objects.filter(slug="x").exists()


def test_in_the_cluster_mapping_and_the_taxonomy_text():
    properties = index_body()["mappings"]["properties"]
    assert properties["funders"]["properties"]["label"]["copy_to"] == ["taxonomy", "spelling"]
    assert properties["facet_keys"]["properties"]["funder"] == {"type": "keyword"}
    assert "funders" in TAXONOMY_FIELDS

"""Editors propose an area or organisation; a moderator confirms, renames or rejects it.

A proposal is never shown publicly: not on pages, in search (documents, facets, the API), the
JSON-LD, the open data, nor in the public "Share your practice" form. The page tagged with one is
published with its other tags, and confirming it reindexes the pages that use it.
"""

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command

from kb.models import Area, CaseStudyPage, Organisation
from search.engines import SearchRequest

from .admin_forms import edit_form, fill

pytestmark = pytest.mark.django_db

ADD = {
    "area": "/admin/snippets/kb/area/add/",
    "organisation": "/admin/snippets/kb/organisation/add/",
}
PROPOSALS = {
    "area": {"name": "Rochdale", "slug": "", "kind": "local_authority", "region": "North West"},
    "organisation": {"name": "Rochdale Family Hubs Partnership", "slug": "", "kind": "council"},
}


def propose(client, kind, **changes):
    return client.post(ADD[kind], {**PROPOSALS[kind], **changes})


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def proposals(editor):
    """An unconfirmed area and organisation, as an editor's proposal leaves them."""
    area = Area.objects.create(name="Rochdale", slug="rochdale", region="North West")
    organisation = Organisation.objects.create(name="Rochdale Family Hubs", slug="rochdale-hubs")
    for item in (area, organisation):
        item.propose(editor)
        item.save()
    return area, organisation


@pytest.fixture
def tagged(proposals, commit):
    """A live case study tagged with both proposals beside its confirmed tags, as published."""
    area, organisation = proposals
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    kept_areas = list(page.areas.all())
    assert kept_areas, "the case study needs a confirmed area of its own"
    page.areas.add(area)
    page.organisations.add(organisation)
    commit(lambda: page.save_revision().publish())
    return page, kept_areas


@pytest.mark.parametrize("kind", ["area", "organisation"])
def test_an_editor_proposes_one_and_it_is_stored_unconfirmed(
    editor_client, editor, moderator, kind
):
    form = editor_client.get(ADD[kind])
    assert form.status_code == 200
    assert 'name="confirmed"' not in form.content.decode()
    response = propose(editor_client, kind, confirmed="on")  # a forged tick changes nothing
    assert response.status_code == 302, response.content.decode()[:2000]
    model = Area if kind == "area" else Organisation
    proposal = model.objects.get(name=PROPOSALS[kind]["name"])
    assert not proposal.confirmed
    assert proposal.proposed_by == editor and proposal.proposed_at is not None
    assert proposal.slug  # made from the name when left empty
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert PROPOSALS[kind]["name"] in mail.outbox[0].subject
    assert f"/admin/snippets/kb/{kind}/edit/{proposal.pk}/" in mail.outbox[0].body


def test_an_editor_cannot_confirm_edit_or_delete_taxonomy(editor_client, proposals):
    area, _ = proposals
    confirmed = Area.objects.get(slug="kirklees")
    for target in (area, confirmed):
        edit = f"/admin/snippets/kb/area/edit/{target.pk}/"
        assert editor_client.get(edit).status_code != 200
        editor_client.post(edit, {"name": "Renamed", "slug": target.slug, "confirmed": "on"})
        editor_client.post(f"/admin/snippets/kb/area/delete/{target.pk}/")
    area.refresh_from_db()
    assert (area.name, area.confirmed) == ("Rochdale", False)
    assert Area.objects.get(pk=confirmed.pk).name == "Kirklees"
    # An editor cannot set the report's annex flag on a proposal either.
    assert 'name="is_annex_area"' not in editor_client.get(ADD["area"]).content.decode()


def test_a_moderator_sees_proposals_then_renames_and_confirms(
    moderator_client, moderator, proposals
):
    area, _ = proposals
    dashboard = moderator_client.get("/admin/").content.decode()
    assert "Proposed areas and organisations" in dashboard and "Rochdale Family Hubs" in dashboard
    listing = moderator_client.get("/admin/snippets/kb/area/?confirmed=false").content.decode()
    assert "Rochdale" in listing and "Kirklees" not in listing
    data = {"name": "Rochdale Borough", "slug": "rochdale", "kind": "local_authority"}
    response = moderator_client.post(
        f"/admin/snippets/kb/area/edit/{area.pk}/", {**data, "confirmed": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    area.refresh_from_db()
    assert (area.name, area.confirmed) == ("Rochdale Borough", True)
    # Once confirmed it stays confirmed: taking it back would un-publish a label silently.
    response = moderator_client.post(f"/admin/snippets/kb/area/edit/{area.pk}/", data)
    assert response.status_code == 200
    area.refresh_from_db()
    assert area.confirmed


def test_an_editor_ticks_a_proposal_in_the_case_study_form(editor_client, proposals):
    area, organisation = proposals
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    html = editor_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f'value="{area.pk}"' in html and "Proposed, awaiting a moderator" in html
    assert ADD["area"] in html and ADD["organisation"] in html  # "Propose a new …" links
    data = edit_form(editor_client, page)
    fill(data, areas=[area.pk, *data.get("areas", [])], organisations=[organisation.pk])
    response = editor_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = CaseStudyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert area in draft.areas.all() and organisation in draft.organisations.all()


def test_a_proposal_is_never_public_and_the_page_keeps_its_other_tags(client, tagged):
    page, kept_areas = tagged
    html = client.get(page.url).content.decode()
    assert "Rochdale" not in html
    assert all(area.name in html for area in kept_areas)

    api = client.get("/api/search/", {"q": "young fathers"}).json()
    hit = next(result for result in api["results"] if result["url"] == page.url)
    assert "Rochdale" not in hit["areas"] and kept_areas[0].name in hit["areas"]
    assert "rochdale" not in {value["value"] for value in api["facets"]["area"]}
    assert "Rochdale" not in client.get("/search/", {"q": "young fathers"}).content.decode()

    form = client.get("/share-your-practice/").content.decode()
    assert "Rochdale" not in form


def test_a_proposal_is_not_in_the_open_data(client, tagged, settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    page, kept_areas = tagged
    response = client.get("/data/case-studies.csv")
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    row = next(row for row in rows if row["url"].endswith(page.url))
    assert "Rochdale" not in row["areas"] + row["area_slugs"] + row["organisations"]
    assert kept_areas[0].name in row["areas"]


def test_confirming_reindexes_the_pages_that_use_it(settings, tmp_path, tagged, commit):
    settings.KB_SEARCH_INDEX_PATH = tmp_path / "index.sqlite3"
    call_command("search_index", "rebuild", verbosity=0)
    from search.engines import get_engine

    engine = get_engine()
    page, _ = tagged

    def area_facet():
        response = engine.search(SearchRequest.build(query="young fathers"))
        return {value.value: value.count for value in response.facets["area"]}

    assert "rochdale" not in area_facet()
    area = Area.objects.get(slug="rochdale")
    area.confirmed = True
    commit(area.save)
    assert area_facet()["rochdale"] == 1
    hits = engine.search(SearchRequest.build(query="", filters={"area": ["rochdale"]})).hits
    assert [hit.id for hit in hits] == [page.pk]
    engine.close()


def test_rejecting_a_proposal_keeps_the_editors_draft(moderator_client, editor_client, proposals):
    area, organisation = proposals
    page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
    data = edit_form(editor_client, page)
    fill(data, summary="An editor's new summary.", areas=[area.pk, *data.get("areas", [])])
    assert editor_client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    other_areas = set(data["areas"]) - {str(area.pk)}

    response = moderator_client.post(f"/admin/snippets/kb/area/delete/{area.pk}/")
    assert response.status_code == 302
    assert not Area.objects.filter(pk=area.pk).exists()

    reopened = edit_form(editor_client, page)  # the draft still opens, with its work
    assert reopened["summary"] == ["An editor's new summary."]
    assert set(reopened["areas"]) == other_areas


def test_the_support_team_records_visits_and_packs_for_confirmed_areas_only(
    admin_client, proposals
):
    """A support visit or pack holds its area fast (PROTECT): offered a proposal, it would stop
    a moderator rejecting it. The support team waits for the moderator's confirmation."""
    for form in ("/admin/support/visits/add/", "/admin/support/packs/add/"):
        html = admin_client.get(form).content.decode()
        assert ">Kirklees<" in html and ">Rochdale<" not in html, form


def test_a_proposed_organisation_is_a_publisher_only_once_confirmed(editor_client, proposals):
    from kb.models import ResourcePage

    _, organisation = proposals
    page = ResourcePage.objects.live().first()
    data = edit_form(editor_client, page)
    fill(data, publisher=organisation.pk)
    response = editor_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert "not confirmed yet" in " ".join(response.context["form"].errors["publisher"])

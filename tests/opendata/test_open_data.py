"""/data/: every public page as JSON Lines and CSV, the recommendation tables, a DCAT-AP
catalogue; never drafts, restricted pages or private data; never stale."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import PageViewRestriction

from kb.contexts.visibility import public
from kb.models import CaseStudyIndexPage, CaseStudyPage, EvidenceSummaryPage, RecommendationRow
from opendata import export
from opendata.schema import RECOMMENDATIONS, TYPES

pytestmark = pytest.mark.django_db
EXPORTED = tuple(model for model, *_ in TYPES.values())


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Files outlive a test's rolled-back transaction: each test writes its own."""
    settings.OPEN_DATA_DIR = tmp_path / "open-data"


def download(client, name):
    response = client.get(f"/data/{name}")
    assert response.status_code == 200, name
    return b"".join(response.streaming_content).decode()


def public_ids():
    ids = set()
    for model in EXPORTED:
        ids |= set(public(model).values_list("pk", flat=True))
    return ids


def test_data_page_offers_every_download_with_its_schema_and_licence(client):
    html = client.get("/data/").content.decode()
    for _model, filename, _description, columns in TYPES.values():
        assert f'href="/data/{filename}"' in html
        assert all(f"<code>{column.name}</code>" in html for column in columns)
    for name in ("pages.jsonl", "recommendations.csv", "catalogue.jsonld"):
        assert f'href="/data/{name}"' in html
    assert settings.OPEN_DATA_LICENCE_NAME in html and settings.OPEN_DATA_ATTRIBUTION in html
    assert "Crown copyright" in html and "Infant Mortality National Support Team" in html


def test_files_hold_every_public_page_and_the_recommendation_tables(client):
    lines = [json.loads(line) for line in download(client, "pages.jsonl").splitlines()]
    assert {line["id"] for line in lines} == public_ids()
    for key, (model, filename, _description, columns) in TYPES.items():
        rows = list(csv.DictReader(io.StringIO(download(client, filename))))
        assert list(rows[0]) == [column.name for column in columns]
        assert {int(row["id"]) for row in rows} == set(public(model).values_list("pk", flat=True))
        assert {row["type"] for row in rows} == {key}
    housing = next(
        row
        for row in csv.DictReader(io.StringIO(download(client, "case-studies.csv")))
        if "housing" in row["theme_slugs"]
    )
    assert housing["themes"]  # taxonomy names beside the slugs
    recommendations = list(csv.DictReader(io.StringIO(download(client, "recommendations.csv"))))
    assert list(recommendations[0]) == [column.name for column in RECOMMENDATIONS]
    expected = RecommendationRow.objects.filter(page__in=public(EvidenceSummaryPage))
    assert len(recommendations) == expected.count() > 0
    first = expected.order_by("page_id", "sort_order", "pk").first()
    assert (recommendations[0]["category"], recommendations[0]["row"]) == (first.category, "1")


def test_never_drafts_restricted_pages_or_private_data(client, commit):
    draft = CaseStudyPage(title="Draft-only case study zqx", summary="draft", live=False)
    CaseStudyIndexPage.objects.get().add_child(instance=draft)
    live = CaseStudyPage.objects.live().first()
    live.title = "Unpublished edit zqx"
    live.save_revision()  # a draft of a live page
    restricted = CaseStudyPage.objects.live().exclude(pk=live.pk).first()
    commit(
        lambda: PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    )
    contact_emails = [
        email
        for email in CaseStudyPage.contacts.rel.related_model.objects.values_list(
            "email", flat=True
        )
        if email
    ]
    everything = "".join(
        download(client, name)
        for name in ["pages.jsonl", "recommendations.csv", "catalogue.jsonld"]
        + [filename for _m, filename, _d, _c in TYPES.values()]
    )
    assert "zqx" not in everything
    assert f'"id": {restricted.pk},' not in everything and restricted.url not in everything
    assert not any(email in everything for email in contact_emails)
    assert "review_owner" not in everything and "review_due" not in everything


def test_regenerated_when_pages_change_and_after_a_day(client, commit):
    download(client, "pages.jsonl")
    page = CaseStudyPage(title="A newly published case study for open data", summary="New.")
    CaseStudyIndexPage.objects.get().add_child(instance=page)
    commit(lambda: page.save_revision().publish())
    assert "A newly published case study for open data" in download(client, "pages.jsonl")
    commit(lambda: page.unpublish())
    assert "A newly published case study for open data" not in download(client, "pages.jsonl")

    manifest_path = export.current_dir() / export.MANIFEST
    manifest = json.loads(manifest_path.read_text())
    old = datetime.datetime.fromisoformat(manifest["generated_at"]) - datetime.timedelta(
        days=1, minutes=1
    )
    manifest_path.write_text(json.dumps({**manifest, "generated_at": old.isoformat()}))
    client.get("/data/")
    assert json.loads(manifest_path.read_text())["generated_at"] > old.isoformat()


def test_dcat_ap_catalogue_lists_every_download(client):
    catalogue = json.loads(download(client, "catalogue.jsonld"))
    assert catalogue["@type"] == "dcat:Catalog"
    for required in ("dct:title", "dct:description", "dct:publisher", "dcat:dataset"):
        assert catalogue[required], required
    files = set()
    for dataset in catalogue["dcat:dataset"]:
        assert (
            dataset["@type"] == "dcat:Dataset"
            and dataset["dct:title"]
            and dataset["dct:description"]
        )
        assert dataset["dct:license"]["@id"] == settings.OPEN_DATA_LICENCE_URL
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dcat:accessURL"]["@id"]
            url = distribution["dcat:downloadURL"]["@id"]
            files.add(url.rsplit("/", 1)[1])
            assert client.get("/" + url.split("//", 1)[1].split("/", 1)[1]).status_code == 200
    assert files == set(export.read_manifest()["files"])


def test_unknown_download_is_a_404(client):
    assert client.get("/data/../settings.py").status_code == 404
    assert client.get("/data/manifest.json").status_code == 404
    assert client.get("/data/nothing.csv").status_code == 404


def test_docs_describe_every_file():
    docs = (Path(settings.BASE_DIR) / "docs" / "open-data.md").read_text()
    for name in ["pages.jsonl", "recommendations.csv", "catalogue.jsonld"] + [
        filename for _m, filename, _d, _c in TYPES.values()
    ]:
        assert name in docs, name

"""Tag suggestions an editor can check: whole, most specific place names, plain-word
interventions, and the words behind each suggestion (importers.suggest)."""

import pytest

from importers.sources.html import parse
from importers.suggest import TagSuggester
from kb.models import Area, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggester():
    return TagSuggester()


def names(suggestions, kind):
    return {s.name: s.why for s in suggestions if s.kind == kind}


def test_a_place_inside_a_longer_name_is_not_that_place(suggester):
    text = "Midwives across Greater Manchester worked with the University of Manchester."
    assert "Manchester" not in names(suggester.suggest(text), "area")


def test_national_only_when_no_local_area_is_named(suggester):
    areas = names(suggester.suggest("Kirklees has the highest rate in England."), "area")
    assert areas == {"Kirklees": "Kirklees"}


def test_interventions_from_plain_wording_show_the_words(suggester):
    found = names(
        suggester.suggest("Trained peer supporters visited mothers who had breastfed."),
        "intervention",
    )
    assert "breastfed" in found["Breastfeeding peer support and support groups"]
    smoking = names(
        suggester.suggest("A stop smoking adviser for women in routine and manual jobs."),
        "intervention",
    )
    assert "Stop smoking services for pregnant women" in smoking
    assert "routine" in smoking["Reducing smoking in pregnancy in the routine and manual group"]


def test_the_importer_ticks_the_local_area_not_england_and_says_why():
    raw = (
        b"<html><head><title>T</title></head><body><h1>Baby cafe in Kirklees</h1>"
        b"<p>Kirklees has the highest rate in England. Run with Greater Manchester colleagues.</p>"
        b"</body></html>"
    )
    taxonomy = {
        "areas": list(Area.objects.all()),
        "organisations": list(Organisation.objects.all()),
    }
    extraction = parse(raw, page_type="case_study", taxonomy=taxonomy)
    assert [a.name for a in extraction.areas] == ["Kirklees"]
    assert extraction.why["areas"] == {"Kirklees": "Kirklees"}


def test_the_import_result_warns_of_a_draft_of_the_same_page(admin_client, web_server):
    """Imported by file, then by address: two sources, so the second result names the first
    draft (the search index holds only published pages)."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from importers.models import PageImport

    html = (Path(__file__).with_name("html") / "shared_learning.html").read_bytes()
    upload = SimpleUploadedFile("shared_learning.html", html, "text/html")
    admin_client.post("/admin/importers/import/", {"page_type": "case_study", "html_file": upload})
    first = PageImport.objects.get().page
    response = admin_client.post(
        "/admin/importers/import/",
        {"page_type": "case_study", "url": f"{web_server}/pages/shared_learning.html"},
    )
    body = response.content.decode()
    assert "This may already be in the knowledge base" in body
    assert f'href="/admin/pages/{first.pk}/edit/"' in body
    assert "a draft with a similar title" in body
    assert "Suggested tags" in body


def test_the_warning_finds_newhams_stop_smoking_service_for_a_stop_smoking_write_up():
    from importers.suggest import possible_duplicates

    found = possible_duplicates(
        title="Stop smoking in pregnancy: same-day referral in Exampleton",
        summary="Advisers saw pregnant smokers at their booking appointment.",
    )
    assert "Newham Stop Smoking Service for pregnant women" in [d.title for d in found[:3]]

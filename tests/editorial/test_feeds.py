"""Atom feeds declare summaries as plain text (defect 5): an editor's markup is shown, not run."""

import xml.etree.ElementTree as ET

import pytest

from kb.models import CaseStudyPage

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("url", ["/feeds/latest.atom", "/feeds/themes/housing.atom"])
def test_feed_summaries_are_plain_text(client, url):
    page = CaseStudyPage.objects.live().filter(themes__slug="housing").first()
    page.summary = "Fewer <b>damp</b> homes & more visits."
    page.save_revision().publish()
    response = client.get(url)
    assert response.status_code == 200
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    summaries = [entry.find(f"{ATOM}summary") for entry in entries]
    assert summaries and all(summary.get("type", "text") == "text" for summary in summaries)
    assert "Fewer <b>damp</b> homes & more visits." in [summary.text for summary in summaries]

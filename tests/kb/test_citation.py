"""Case studies, resources and evidence summaries carry schema.org JSON-LD that validates
against the schema.org vocabulary (a subset file in the official shape, shipped beside this
test), and a "Cite this page" block with RIS and BibTeX downloads."""

import json
import re
from pathlib import Path

import pytest

from kb.models import CaseStudyPage, EvidenceSummaryPage, ResourcePage

pytestmark = pytest.mark.django_db
VOCABULARY = Path(__file__).with_name("schemaorg-subset.jsonld")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
DATE = re.compile(r"^\d{4}(-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?)?$")


class Vocabulary:
    def __init__(self, path):
        graph = json.loads(path.read_text())["@graph"]

        def ids(value):
            values = value if isinstance(value, list) else [value]
            return [v["@id"].removeprefix("schema:") for v in values if v]

        self.parents, self.domains, self.ranges = {}, {}, {}
        for node in graph:
            name = node["@id"].removeprefix("schema:")
            kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "rdfs:Class" in kinds:
                self.parents[name] = ids(node.get("rdfs:subClassOf", []))
            if "rdf:Property" in kinds:
                self.domains[name] = ids(node["schema:domainIncludes"])
                self.ranges[name] = ids(node["schema:rangeIncludes"])

    def ancestors(self, name):
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += self.parents[current]
        return seen

    def check(self, node, path="$"):
        """Every problem with a JSON-LD node: unknown types or properties, a property used
        outside its domain, a value outside its range."""
        problems = []
        kind = node.get("@type")
        if kind not in self.parents:
            return [f"{path}: unknown type {kind}"]
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            if prop not in self.domains:
                problems.append(f"{path}.{prop}: not a schema.org property")
                continue
            if not self.ancestors(kind) & set(self.domains[prop]):
                problems.append(f"{path}.{prop}: not a property of {kind}")
            for item in value if isinstance(value, list) else [value]:
                problems += self.check_value(prop, item, f"{path}.{prop}")
        return problems

    def check_value(self, prop, item, path):
        ranges = set(self.ranges[prop])
        if isinstance(item, dict):
            kind = item.get("@type")
            if kind not in self.parents or not self.ancestors(kind) & ranges:
                return [f"{path}: {kind} is not in the range of {prop}"]
            return self.check(item, path)
        text = str(item)
        if ranges & {"Text"} or (ranges & {"URL"} and text.startswith("http")):
            return []
        if ranges & {"Date", "DateTime"} and DATE.match(text):
            return []
        return [f"{path}: {text!r} is not a {' or '.join(sorted(ranges))}"]


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary(VOCABULARY)


def pages():
    return [
        *CaseStudyPage.objects.live()[:3],
        *ResourcePage.objects.live()[:3],
        *ResourcePage.objects.live().filter(resource_type="data_tool")[:1],
        *EvidenceSummaryPage.objects.live()[:3],
    ]


def test_the_validator_refuses_what_schema_org_does_not_define(vocabulary):
    assert vocabulary.check({"@type": "Article", "name": "x", "postalCode": "x"})
    assert vocabulary.check({"@type": "Organization", "headline": "x"})
    assert vocabulary.check(
        {"@type": "Article", "spatialCoverage": {"@type": "Organization", "name": "x"}}
    )
    assert vocabulary.check({"@type": "Article", "datePublished": "last week"})
    assert not vocabulary.check(
        {"@type": "Article", "spatialCoverage": {"@type": "AdministrativeArea", "name": "x"}}
    )


def test_json_ld_validates_against_the_vocabulary(client, vocabulary):
    seen_types = set()
    for page in pages():
        html = client.get(page.url).content.decode()
        blocks = JSON_LD.findall(html)
        assert len(blocks) == 1, page.url
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org"
        assert vocabulary.check(data) == [], page.url
        assert data["name"] == page.title and data["url"].endswith(page.url)
        seen_types.add(data["@type"])
    assert {"Article", "CreativeWork"} <= seen_types


def test_report_pages_name_the_report_as_their_source(client):
    page = CaseStudyPage.objects.live().filter(from_report=True).first()
    data = json.loads(JSON_LD.findall(client.get(page.url).content.decode())[0])
    assert (
        data["isBasedOn"]["name"]
        == "Tackling health inequalities in infant and maternal health outcomes"
    )


def test_cite_this_page_with_ris_and_bibtex(client):
    page = CaseStudyPage.objects.live().first()
    page.title = "Fathers & {mothers}: 100% of 50_ babies"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Cite this page" in html
    assert (
        f"Infant and maternal health inequalities knowledge base ({page.last_published_at.year})"
        in html
    )
    assert f"/cite/{page.pk}.ris" in html and f"/cite/{page.pk}.bib" in html
    ris = client.get(f"/cite/{page.pk}.ris")
    assert ris["Content-Type"].startswith("application/x-research-info-systems")
    text = ris.content.decode()
    assert text.startswith("TY  - ELEC\r\n") and text.endswith("ER  - \r\n")
    assert f"TI  - {page.title}\r\n" in text and f"UR  - http://testserver{page.url}\r\n" in text
    bib = client.get(f"/cite/{page.pk}.bib").content.decode()
    assert bib.startswith(f"@misc{{kb-page-{page.pk},")
    assert r"title = {{Fathers \& \{mothers\}: 100\% of 50\_ babies}}" in bib
    assert f"url = {{http://testserver{page.url}}}" in bib


def test_citations_only_for_public_citable_pages(client):
    from kb.models import AreaPage

    assert client.get(f"/cite/{AreaPage.objects.live().first().pk}.ris").status_code == 404
    assert client.get("/cite/999999.bib").status_code == 404

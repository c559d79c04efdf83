"""The DCAT-AP catalogue (JSON-LD) of the downloads, for data portals such as data.gov.uk.

It carries DCAT-AP's mandatory properties (catalogue: title, description, publisher, datasets;
dataset: title, description; distribution: access URL) and the recommended ones we know
(licence, rights, modified, media type, byte size, download URL, the schema it conforms to).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from config.site import absolute_url

from .schema import JSONL, RECOMMENDATIONS_CSV, TYPES

FILENAME = "catalogue.jsonld"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {
    "csv": "http://www.iana.org/assignments/media-types/text/csv",
    "jsonl": "http://www.iana.org/assignments/media-types/application/jsonl",
}


def licence():
    return {"@id": settings.OPEN_DATA_LICENCE_URL, "@type": "dct:LicenseDocument"}


def rights():
    return {
        "@type": "dct:RightsStatement",
        "rdfs:label": f"{settings.OPEN_DATA_ATTRIBUTION} {settings.OPEN_DATA_REPORT_SOURCE}",
    }


def dataset_descriptions():
    """(file name, title, description) for every download."""
    yield JSONL, "Every public page", "Every public page's content, one JSON object a line."
    for _model, filename, description, _columns in TYPES.values():
        yield filename, description.rstrip("."), f"{description} One row a page, with its taxonomy."
    yield (
        RECOMMENDATIONS_CSV,
        "The report's recommendation tables",
        "The recommendation tables of the 2010 report's evidence summaries, one row a category.",
    )


def build(manifest: dict) -> dict:
    data_page = absolute_url(reverse("open-data"))
    modified = {"@value": manifest["generated_at"], "@type": "xsd:dateTime"}
    datasets = []
    for filename, title, description in dataset_descriptions():
        facts = manifest["files"][filename]
        kind = "jsonl" if filename.endswith(".jsonl") else "csv"
        datasets.append(
            {
                "@id": f"{data_page}#{filename}",
                "@type": "dcat:Dataset",
                "dct:title": title,
                "dct:description": description,
                "dct:modified": modified,
                "dct:license": licence(),
                "dct:rights": rights(),
                "dcat:landingPage": {"@id": data_page},
                "dcat:distribution": [
                    {
                        "@id": f"{data_page}{filename}",
                        "@type": "dcat:Distribution",
                        "dct:title": filename,
                        "dcat:accessURL": {"@id": data_page},
                        "dcat:downloadURL": {"@id": f"{data_page}{filename}"},
                        "dcat:mediaType": {"@id": MEDIA_TYPES[kind]},
                        "dcat:byteSize": {
                            "@value": str(facts["bytes"]),
                            "@type": "xsd:nonNegativeInteger",
                        },
                        "dct:license": licence(),
                        "dct:conformsTo": {"@id": f"{data_page}#schema-{filename}"},
                    }
                ],
            }
        )
    return {
        "@context": {**CONTEXT, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
        "@id": f"{data_page}{FILENAME}",
        "@type": "dcat:Catalog",
        "dct:title": f"{settings.WAGTAIL_SITE_NAME}: open data",
        "dct:description": (
            "The knowledge base's public content as downloads: every public page as JSON Lines, "
            "a CSV per page type with its taxonomy, and the 2010 report's recommendation tables."
        ),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": settings.OPEN_DATA_PUBLISHER},
        "dct:license": licence(),
        "dct:modified": modified,
        "foaf:homepage": {"@id": data_page},
        "dcat:dataset": datasets,
    }

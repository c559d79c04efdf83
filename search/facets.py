"""The facets, defined once. Engines, views, the API and the CLI all read this list."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Facet:
    name: str  # URL/API parameter and response key
    field: str  # search document field holding [{"value": slug, "label": str}, ...]
    label: str  # legend shown to users


FACETS = (
    Facet("theme", "themes", "Theme"),
    Facet("area", "areas", "Area"),
    Facet("intervention", "interventions", "Intervention"),
    Facet("type", "type", "Type of content"),
    Facet("publisher", "publisher", "Publisher"),
    Facet("resource_type", "resource_type", "Resource type"),
    Facet("evaluation", "evaluation_status", "Evaluation"),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}

SORTS = {
    "relevance": "Relevance",
    "newest": "Newest first",
    "title": "Title A to Z",
}
PAGE_SIZE = 20
MAX_PAGE = 10_000  # the highest page number anyone may ask for
MAX_QUERY_LENGTH = 200

"""The facets, declared once: the page's filters, the API's parameters and its OpenAPI schema,
the search document's fields, the cluster mapping's facet fields and the taxonomy text that
searches facet labels all come from `FACETS`. Engines, views, the API and the CLI read it.

To add a facet: its taxonomy model (with `slug` and `name`) and a field on the page types that
carry it, their migration, and one line here naming that page field (`page_field`). Page types
that build their own document (`document_fields()`) fill their facets themselves.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Facet:
    name: str  # URL/API parameter and response key
    field: str  # search document field holding [{"value": slug, "label": str}, ...]
    label: str  # legend shown to users
    description: str = ""  # the API parameter's description, after "… (OR)."
    # The page attribute a page type that does not build its own document reads the values
    # from: a many-to-many field or a foreign key to a model with `slug` and `name` (or `label`).
    page_field: str = ""


FACETS = (
    Facet("theme", "themes", "Theme", "Theme slugs; repeat for several", page_field="themes"),
    Facet("area", "areas", "Area", "Area slugs; repeat for several", page_field="areas"),
    Facet(
        "intervention",
        "interventions",
        "Intervention",
        "Intervention slugs",
        page_field="interventions",
    ),
    Facet("type", "type", "Type of content"),  # its values are the page types' keys
    Facet("publisher", "publisher", "Publisher", "Publisher slugs", page_field="publisher"),
    Facet("resource_type", "resource_type", "Resource type", "Resource type keys"),
    Facet("evaluation", "evaluation_status", "Evaluation", "Evaluation status keys"),
    # An app of its own may declare more in settings (the same fields as Facet); the test of
    # the page-type registry (tests/extension/) adds one this way.
    *(Facet(**declared) for declared in getattr(settings, "SEARCH_EXTRA_FACETS", ())),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
TYPE_FACET = FACETS_BY_NAME["type"]
# The document fields whose labels the engines search as the "taxonomy" text (with `regions`),
# the type's label first: the order the embedded index writes them in.
TAXONOMY_FIELDS = (TYPE_FACET.field, *(f.field for f in FACETS if f is not TYPE_FACET))

SORTS = {
    "relevance": "Relevance",
    "newest": "Newest first",
    "title": "Title A to Z",
}
PAGE_SIZE = 20
MAX_PAGE = 10_000  # the highest page number anyone may ask for
# The longest query anyone may type: a long description of a local problem runs to 40 words
# or more (over 200 characters), and is searched as best match.
MAX_QUERY_LENGTH = 500

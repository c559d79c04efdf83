"""How a page type describes itself to search and the importers: the page-type registry.

A searchable page class sets `searchable = Searchable(...)` (its type key, what to fetch with it,
which taxonomy changes make its documents stale, its fixture file) and, when it has fields of
its own to search, `document_fields()`. Search, the importers, editorial review and the bench
loop over `searchable_page_types()` instead of listing page types (ADR 0006).

kb depends on nothing of ours, so what is declared here is plain data: search/documents.py
turns it into the flat search document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class Searchable:
    # The type key: the `type` facet's value, in URLs, the API and the index. Never rename one.
    type_key: str
    # What building the page's document reads, fetched once per relation for a whole batch.
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    # Taxonomy model label -> the lookup from this page type to it: renaming or deleting an
    # instance reindexes every page that reaches it (a theme with the themes under it, since a
    # page counts under its theme's parent).
    stale_when: dict[str, str] = field(default_factory=dict)
    # The YAML file in fixtures/ its pages are loaded from (without ".yaml"), if any.
    fixture: str = ""


def searchable_page_types() -> list[type]:
    """Every page model that declares `searchable`, in the order the apps define them."""
    return [
        model
        for model in apps.get_models()
        if getattr(model, "searchable", None) is not None and not model._meta.abstract
    ]


def term(value, label) -> dict:
    """One facet value in a search document: the slug to filter on and the label to show."""
    return {"value": value, "label": label}


def taxonomy_terms(items) -> list[dict]:
    return [term(item.slug, item.name) for item in items]


def choice_term(page, field_name) -> list[dict]:
    """A choice field as a facet value: its stored key and its display label."""
    return [term(getattr(page, field_name), getattr(page, f"get_{field_name}_display")())]


def paragraphs(*texts) -> str:
    return "\n\n".join(text for text in texts if text)


def lines(*texts) -> str:
    return "\n".join(text for text in texts if text)


def joined(*parts) -> str:
    return " ".join(part for part in parts if part)

"""What every source produces and `sync` applies: one item per snippet or page.

A source turns its input (YAML files, a web page) into these; it never writes to the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


def item_hash(value) -> str:
    """A stable hash of what a source said about an item, to tell a changed item from the same."""
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


@dataclass(frozen=True)
class Ref:
    """A reference to another item by its kind and key (e.g. Ref("theme", "housing"))."""

    kind: str
    key: str


@dataclass
class SnippetItem:
    kind: str  # e.g. "theme"
    key: str
    model: type
    values: dict  # field name -> value, written as they are
    lookup: dict  # how to find an object an editor made before the importer knew it


@dataclass
class PageItem:
    kind: str  # e.g. "case_study"
    key: str  # stable identity within the kind
    model: type
    parent: object  # the index page model, or a parent Page instance
    slug: str
    source_hash: str  # item_hash() of what the source said (decides "unchanged")
    fields: dict = field(default_factory=dict)  # plain field values
    refs: dict = field(default_factory=dict)  # field -> Ref | None (foreign keys)
    many: dict = field(default_factory=dict)  # field -> [Ref, ...] (many-to-many)
    children: dict = field(default_factory=dict)  # relation -> (child model, [field dicts])
    publish: bool = True  # False: the result is a draft for review, never published

"""Apply items from any source to snippets and pages, never overwriting an editor's change.

Idempotent: each item is matched on its (kind, key) through ImportedItem. An unchanged item is
left alone; a changed one is updated (and republished, or saved as a new draft revision for a
draft item); an object an editor changed since the importer wrote it is never overwritten (it is
reported as "kept"). Nothing is ever deleted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from .items import PageItem, SnippetItem, item_hash
from .models import ImportedItem
from .values import ContentError


@dataclass
class LoadReport:
    counts: dict[str, Counter] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def add(self, kind, outcome, key=None):
        self.counts.setdefault(kind, Counter())[outcome] += 1
        if outcome == "kept":
            self.kept.append(f"{kind}:{key}")

    @property
    def changed(self):
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self):
        for kind, c in self.counts.items():
            yield (
                f"{kind:<20} created {c['created']:>3}  updated {c['updated']:>3}  "
                f"unchanged {c['unchanged']:>3}  kept editor changes {c['kept']:>3}"
            )


def _canonical(value):
    """One spelling per value, so a source's values and a stored object's compare equal."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value


def canonical_values(values: dict) -> dict:
    return {name: _canonical(value) for name, value in values.items()}


class Sync:
    """Applies items in the order a source yields them; later items may refer to earlier ones."""

    def __init__(self, report: LoadReport | None = None):
        self.report = report or LoadReport()
        self.objects: dict[str, dict[str, object]] = {}  # kind -> key -> object applied
        self.outcomes: dict[tuple[str, str], str] = {}  # (kind, key) -> created/updated/...
        self._imported = {(r.kind, r.key): r for r in ImportedItem.objects.all()}

    # ---------------------------------------------------------------- bookkeeping
    def record(self, kind, key):
        return self._imported.get((kind, key))

    def _save_record(self, kind, key, obj, source_hash, written_values=None, revision_id=None):
        record = self._imported.get((kind, key))
        if record is None:
            record = ImportedItem(
                kind=kind,
                key=key,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            )
        record.object_id = obj.pk
        record.item_hash = source_hash
        record.written_values = written_values
        record.revision_id = revision_id
        record.save()
        self._imported[(kind, key)] = record

    def _done(self, item, obj, outcome):
        self.objects.setdefault(item.kind, {})[item.key] = obj
        self.outcomes[(item.kind, item.key)] = outcome
        self.report.add(item.kind, outcome, item.key)
        return obj

    def resolve(self, ref):
        """The object an earlier item (or an earlier run) made for `ref`; None when unknown."""
        if ref is None:
            return None
        if hasattr(ref, "pk"):  # a source that already holds the object (e.g. a taxonomy match)
            return ref
        found = self.objects.get(ref.kind, {}).get(ref.key)
        if found is not None:
            return found
        record = self.record(ref.kind, ref.key)
        if record is not None:
            return record.content_type.get_object_for_this_type(pk=record.object_id)
        return None

    def apply(self, item):
        if isinstance(item, SnippetItem):
            return self.apply_snippet(item)
        if isinstance(item, PageItem):
            return self.apply_page(item)
        raise TypeError(f"not an item: {item!r}")

    # ---------------------------------------------------------------- snippets
    @staticmethod
    def _current_values(obj, values) -> dict:
        return canonical_values({name: getattr(obj, name) for name in values})

    def _editor_changed(self, obj, values, record) -> bool:
        """True when the object differs from what the importer last wrote (or was never ours)."""
        if record.written_values is None:
            return True
        current = self._current_values(obj, values)
        return any(
            current[name] != written
            for name, written in record.written_values.items()
            if name in current
        )

    def apply_snippet(self, item: SnippetItem):
        """Create or update one snippet; never overwrite an editor's change."""
        kind, key, model, values = item.kind, item.key, item.model, item.values
        source_hash = item_hash(canonical_values(values))
        record = self.record(kind, key)
        obj = model.objects.filter(pk=record.object_id).first() if record else None
        if obj is None and record is None:
            obj = model.objects.filter(**item.lookup).first()
            if obj is not None:
                # Made in the admin before the importer knew it. Identical: take it over.
                # Different: it is the editor's, and stays theirs on every later run.
                current = self._current_values(obj, values)
                same = current == canonical_values(values)
                self._save_record(kind, key, obj, source_hash, current if same else None)
                return self._done(item, obj, "unchanged" if same else "kept")
        if obj is not None and record is not None:
            if self._editor_changed(obj, values, record):
                return self._done(item, obj, "kept")
            if record.item_hash == source_hash:
                return self._done(item, obj, "unchanged")
        created = obj is None
        obj = obj or model()
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean(validate_unique=False)
        obj.save()
        self._save_record(kind, key, obj, source_hash, self._current_values(obj, values))
        return self._done(item, obj, "created" if created else "updated")

    # ---------------------------------------------------------------- pages
    def _parent_page(self, item: PageItem):
        parent = item.parent
        if isinstance(parent, type):
            found = parent.objects.first()
            if found is None:
                raise ContentError(f"{item.kind} {item.key}: no {parent.__name__} to add it under")
            return found
        return parent

    @staticmethod
    def _editor_changed_page(page, record, item) -> bool:
        if page.latest_revision_id != record.revision_id:
            return True
        if item.publish:
            return page.has_unpublished_changes
        return page.live  # a draft for review that an editor has since published is theirs

    def apply_page(self, item: PageItem):
        """Create or update one page from an item; publish it (or keep it a draft)."""
        kind, key, model = item.kind, item.key, item.model
        parent = self._parent_page(item)
        record = self.record(kind, key)
        page = model.objects.filter(pk=record.object_id).first() if record else None
        if page is None and record is None:
            existing = model.objects.child_of(parent).filter(slug=item.slug).first()
            if existing is not None:
                # An editor's page with this slug: it stays theirs (no revision is ever ours).
                self._save_record(kind, key, existing, item.source_hash, None, None)
                return self._done(item, existing, "kept")
        if page is not None:
            if self._editor_changed_page(page, record, item):
                return self._done(item, page, "kept")
            if record.item_hash == item.source_hash:
                return self._done(item, page, "unchanged")
        created = page is None
        if created:
            page = model(slug=item.slug)
            if not item.publish:
                page.live = False
        self._build(page, item)
        if created:
            parent.add_child(instance=page)
        revision = page.save_revision()
        if item.publish:
            revision.publish()
        page.refresh_from_db(fields=["latest_revision"])
        self._save_record(kind, key, page, item.source_hash, None, page.latest_revision_id)
        return self._done(item, page, "created" if created else "updated")

    def _build(self, page, item: PageItem):
        for name, value in item.fields.items():
            setattr(page, name, value)
        for name, ref in item.refs.items():
            setattr(page, name, self.resolve(ref))
        for name, refs in item.many.items():
            setattr(page, name, [obj for obj in map(self.resolve, refs) if obj is not None])
        for name, (child_model, rows) in item.children.items():
            setattr(page, name, [child_model(**row) for row in rows])

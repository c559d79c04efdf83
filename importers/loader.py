"""Create or update the knowledge base from the YAML files in `fixtures/`.

Idempotent: each item is matched on its stable `key` through ImportedItem. An unchanged item is
left alone; a changed one is updated and republished; an object an editor changed since the
loader wrote it is never overwritten (it is reported as "kept"). Nothing is ever deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, Site

from kb import models as kb

from .models import ImportedItem

KEY_ALPHABET = set("abcdefghijklmnopqrstuvwxyz0123456789-")
# Part of every page's item hash: bump it when the way a fixture item becomes a page changes,
# so the next `make setup` re-applies unchanged items the new way.
PAGE_MAPPING_VERSION = 3


class ContentError(Exception):
    """A fixture the loader cannot apply; the message names the file and item."""


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
    """One spelling per value, so a fixture's values and a stored object's compare equal."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value


def _hash(value) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def _canonical_values(values: dict) -> dict:
    return {name: _canonical(value) for name, value in values.items()}


def _values_hash(values: dict) -> str:
    return _hash(_canonical_values(values))


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _lines(values) -> str:
    return "\n".join(_text(v) for v in values or [] if _text(v))


def _decimal(value, where):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ContentError(f"{where}: {value!r} is not a number") from None


def _int(value, where):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ContentError(f"{where}: {value!r} is not a whole number") from None


def _choice(value, choices, where, default=""):
    value = _text(value) or default
    valid = {c for c, _ in choices}
    if value and value not in valid:
        raise ContentError(f"{where}: {value!r} is not one of {', '.join(sorted(valid))}")
    return value


def _date(value, where):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


class ContentLoader:
    FILES = (
        "themes",
        "areas",
        "organisations",
        "interventions",
        "glossary",
        "resources",
        "case_studies",
        "evidence_summaries",
        "news",
    )

    def __init__(self, fixtures_dir: Path):
        self.fixtures_dir = Path(fixtures_dir)
        self.report = LoadReport()
        self.data = {}
        self._imported = {}

    # ---------------------------------------------------------------- reading and checking
    def read(self):
        for name in self.FILES:
            path = self.fixtures_dir / f"{name}.yaml"
            if not path.exists():
                self.data[name] = []
                continue
            try:
                items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                line = f" line {mark.line + 1}" if mark else ""
                raise ContentError(f"{path.name}{line}: not valid YAML") from None
            if not isinstance(items, list):
                raise ContentError(f"{path.name}: expected a list of items")
            self.data[name] = items
        self._check_keys()

    def _check_keys(self):
        for name, items in self.data.items():
            key_field = "term" if name == "glossary" else "key"
            seen = set()
            for position, item in enumerate(items, 1):
                if not isinstance(item, dict) or not _text(item.get(key_field)):
                    raise ContentError(f"{name}.yaml item {position}: missing '{key_field}'")
                key = _text(item[key_field])
                if key_field == "key" and not set(key) <= KEY_ALPHABET:
                    raise ContentError(f"{name}.yaml: key {key!r} must use a-z, 0-9 and '-'")
                if key in seen:
                    raise ContentError(f"{name}.yaml: key {key!r} appears twice")
                seen.add(key)
        keys = {name: {_text(i.get("key")) for i in items} for name, items in self.data.items()}
        references = (
            ("case_studies", "themes", "themes"),
            ("case_studies", "areas", "areas"),
            ("case_studies", "interventions", "interventions"),
            ("case_studies", "organisations", "organisations"),
            ("case_studies", "related_resources", "resources"),
            ("resources", "themes", "themes"),
            ("resources", "interventions", "interventions"),
            ("resources", "publisher", "organisations"),
            ("evidence_summaries", "theme", "themes"),
            ("evidence_summaries", "interventions", "interventions"),
            ("news", "themes", "themes"),
            ("news", "areas", "areas"),
            ("themes", "parent", "themes"),
        )
        problems = []
        for source, attribute, target in references:
            for item in self.data[source]:
                value = item.get(attribute)
                wanted = value if isinstance(value, list) else [value] if value else []
                for ref in wanted:
                    if _text(ref) not in keys[target]:
                        problems.append(f"{source}.yaml {item['key']}: unknown {target} {ref!r}")
        if problems:
            raise ContentError("; ".join(problems))

    # ---------------------------------------------------------------- bookkeeping
    def _record(self, kind, key):
        return self._imported.get((kind, key))

    def _load_records(self):
        self._imported = {(r.kind, r.key): r for r in ImportedItem.objects.all()}

    def _save_record(self, kind, key, obj, item_hash, written_values=None, revision_id=None):
        record = self._imported.get((kind, key))
        if record is None:
            record = ImportedItem(
                kind=kind,
                key=key,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            )
        record.object_id = obj.pk
        record.item_hash = item_hash
        record.written_values = written_values
        record.revision_id = revision_id
        record.save()
        self._imported[(kind, key)] = record

    # ---------------------------------------------------------------- snippets
    @staticmethod
    def _current_values(obj, values) -> dict:
        return _canonical_values({name: getattr(obj, name) for name in values})

    def _editor_changed(self, obj, values, record) -> bool:
        """True when the object differs from what the loader last wrote (or was never ours)."""
        if record.written_values is None:
            return True
        current = self._current_values(obj, values)
        return any(
            current[name] != written
            for name, written in record.written_values.items()
            if name in current
        )

    def _apply_snippet(self, kind, model, key, values, lookup):
        """Create or update one snippet; never overwrite an editor's change."""
        item_hash = _values_hash(values)
        record = self._record(kind, key)
        obj = model.objects.filter(pk=record.object_id).first() if record else None
        if obj is None and record is None:
            obj = model.objects.filter(**lookup).first()
            if obj is not None:
                # Made in the admin before the loader knew it. Identical: take it over.
                # Different: it is the editor's, and stays theirs on every later run.
                current = self._current_values(obj, values)
                same = current == _canonical_values(values)
                self._save_record(kind, key, obj, item_hash, current if same else None)
                self.report.add(kind, "unchanged" if same else "kept", key)
                return obj
        if obj is not None and record is not None:
            if self._editor_changed(obj, values, record):
                self.report.add(kind, "kept", key)
                return obj
            if record.item_hash == item_hash:
                self.report.add(kind, "unchanged")
                return obj
        created = obj is None
        obj = obj or model()
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean(validate_unique=False)
        obj.save()
        self._save_record(kind, key, obj, item_hash, self._current_values(obj, values))
        self.report.add(kind, "created" if created else "updated")
        return obj

    def load_taxonomy(self):
        self.themes, self.areas, self.organisations, self.interventions = {}, {}, {}, {}
        for position, item in self._parents_first(self.data["themes"]):
            key = item["key"]
            parent = self.themes.get(_text(item.get("parent")))
            values = {
                "name": _text(item.get("name")),
                "slug": key,
                "description": _text(item.get("description")),
                "is_core": bool(item.get("core")),
                "parent_id": parent.pk if parent else None,
                "sort_order": position,
            }
            self.themes[key] = self._apply_snippet("theme", kb.Theme, key, values, {"slug": key})
        for item in self.data["areas"]:
            key = item["key"]
            where = f"areas.yaml {key}"
            values = {
                "name": _text(item.get("name")),
                "slug": key,
                "kind": _choice(item.get("kind"), kb.Area.Kind.choices, where, "local_authority"),
                "is_annex_area": bool(item.get("annex")),
                "region": _text(item.get("region")),
                "ons_code": _text(item.get("ons_code")),
            }
            self.areas[key] = self._apply_snippet("area", kb.Area, key, values, {"slug": key})
        for item in self.data["organisations"]:
            key = item["key"]
            where = f"organisations.yaml {key}"
            values = {
                "name": _text(item.get("name")),
                "slug": key,
                "short_name": _text(item.get("short_name")),
                "kind": _choice(item.get("kind"), kb.Organisation.Kind.choices, where, "other"),
            }
            self.organisations[key] = self._apply_snippet(
                "organisation", kb.Organisation, key, values, {"slug": key}
            )
        for item in self.data["interventions"]:
            key = item["key"]
            where = f"interventions.yaml {key}"
            values = {
                "name": _text(item.get("name")),
                "slug": key,
                "description": _text(item.get("description")),
                "gap_contribution_pp": _decimal(item.get("gap_contribution_pp"), where),
                "timescale": _choice(
                    item.get("timescale"), kb.Intervention.Timescale.choices, where
                ),
                "evidence": _text(item.get("evidence")),
                "is_modelled": bool(item.get("modelled")),
            }
            self.interventions[key] = self._apply_snippet(
                "intervention", kb.Intervention, key, values, {"slug": key}
            )
        for item in self.data["glossary"]:
            term = _text(item["term"])
            values = {"term": term, "expansion": _text(item.get("expansion"))}
            self._apply_snippet("glossary", kb.GlossaryTerm, term, values, {"term": term})

    @staticmethod
    def _parents_first(items):
        """(file position, item) with every parent theme before its children."""
        pending = list(enumerate(items))
        placed = set()
        while pending:
            ready = [(i, t) for i, t in pending if _text(t.get("parent")) in placed | {""}]
            if not ready:
                keys = ", ".join(t["key"] for _, t in pending)
                raise ContentError(f"themes.yaml: parent themes form a loop among {keys}")
            for position, item in ready:
                placed.add(item["key"])
                yield position, item
            pending = [(i, t) for i, t in pending if t["key"] not in placed]

    # ---------------------------------------------------------------- the page tree
    def ensure_site_tree(self):
        root = Page.get_first_root_node()
        home = kb.HomePage.objects.first()
        if home is None:
            home = kb.HomePage(
                title="Infant and maternal health inequalities knowledge base",
                slug="home-kb",
                intro="Good practice, resources and evidence for reducing inequalities in infant "
                "and maternal health in England.",
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            self.report.add("site", "created")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        # Wagtail's own placeholder from its initial migration, and nothing an editor made.
        Page.objects.filter(
            depth=2,
            numchild=0,
            slug="home",
            title="Welcome to your new Wagtail site!",
            content_type__app_label="wagtailcore",
            content_type__model="page",
        ).delete()
        indexes = (
            (kb.CaseStudyIndexPage, "Case studies", "case-studies"),
            (kb.ResourceIndexPage, "Resources", "resources"),
            (kb.EvidenceIndexPage, "Evidence and themes", "evidence"),
            (kb.AreaIndexPage, "Areas", "areas"),
            (kb.NewsIndexPage, "News", "news"),
            (kb.GlossaryPage, "Glossary", "glossary"),
        )
        self.indexes = {}
        for model, title, slug in indexes:
            page = model.objects.child_of(home).first()
            if page is None:
                page = model(title=title, slug=slug)
                home.add_child(instance=page)
                page.save_revision().publish()
                self.report.add("site", "created")
            self.indexes[model] = page
        self.home = home

    # ---------------------------------------------------------------- pages
    def _apply_page(self, kind, model, parent, key, item, build):
        """Create or update one page from a fixture item; publish it; keep editors' work."""
        item_hash = _hash([PAGE_MAPPING_VERSION, item])
        record = self._record(kind, key)
        page = model.objects.filter(pk=record.object_id).first() if record else None
        if page is None and record is None:
            existing = model.objects.child_of(parent).filter(slug=key).first()
            if existing is not None:
                # An editor's page with this slug: it stays theirs (no revision is ever ours).
                self._save_record(kind, key, existing, item_hash, None, None)
                self.report.add(kind, "kept", key)
                return existing
        if page is not None:
            if page.latest_revision_id != record.revision_id or page.has_unpublished_changes:
                self.report.add(kind, "kept", key)
                return page
            if record.item_hash == item_hash:
                self.report.add(kind, "unchanged")
                return page
        created = page is None
        if created:
            page = model(slug=key)
        build(page, item, f"{kind} {key}")
        if created:
            parent.add_child(instance=page)
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db(fields=["latest_revision"])
        self._save_record(kind, key, page, item_hash, None, page.latest_revision_id)
        self.report.add(kind, "created" if created else "updated")
        return page

    def _pick(self, mapping, keys):
        return [mapping[_text(k)] for k in keys or []]

    def load_pages(self):
        self.resources = {}
        for item in self.data["resources"]:
            self.resources[item["key"]] = self._apply_page(
                "resource",
                kb.ResourcePage,
                self.indexes[kb.ResourceIndexPage],
                item["key"],
                item,
                self._build_resource,
            )
        for item in self.data["case_studies"]:
            self._apply_page(
                "case_study",
                kb.CaseStudyPage,
                self.indexes[kb.CaseStudyIndexPage],
                item["key"],
                item,
                self._build_case_study,
            )
        for item in self.data["evidence_summaries"]:
            self._apply_page(
                "evidence_summary",
                kb.EvidenceSummaryPage,
                self.indexes[kb.EvidenceIndexPage],
                item["key"],
                item,
                self._build_evidence,
            )
        for key, area in self.areas.items():
            self._apply_page(
                "area_page",
                kb.AreaPage,
                self.indexes[kb.AreaIndexPage],
                key,
                {"key": key, "name": area.name, "area": area.pk},
                self._build_area_page,
            )
        for item in self.data["news"]:
            self._apply_page(
                "news",
                kb.NewsPage,
                self.indexes[kb.NewsIndexPage],
                item["key"],
                item,
                self._build_news,
            )

    def _common(self, page, item):
        page.title = _text(item.get("title"))
        page.summary = _text(item.get("summary"))
        page.source_reference = _text(item.get("source"))
        page.from_report = True  # only loaded report content may say "as published in 2010"

    def _build_resource(self, page, item, where):
        self._common(page, item)
        page.publisher = self.organisations.get(_text(item.get("publisher")))
        page.resource_type = _choice(
            item.get("resource_type"), kb.ResourcePage.ResourceType.choices, where, "report"
        )
        page.year = _int(item.get("year"), where)
        page.url_as_published = _text(item.get("url"))
        page.order_code = _text(item.get("order_code"))
        page.phone = _text(item.get("phone"))
        page.how_to_obtain = _text(item.get("how_to_obtain"))
        page.languages = ", ".join(_text(lang) for lang in item.get("languages") or [])
        page.audience = _text(item.get("audience"))
        page.themes = self._pick(self.themes, item.get("themes"))
        page.interventions = self._pick(self.interventions, item.get("interventions"))

    def _build_case_study(self, page, item, where):
        self._common(page, item)
        page.aims = _text(item.get("aims"))
        page.what_was_done = _text(item.get("what_was_done"))
        page.evaluation_status = _choice(
            item.get("evaluation_status"),
            kb.CaseStudyPage.EvaluationStatus.choices,
            where,
            "none",
        )
        page.evaluation = _text(item.get("evaluation"))
        page.started = _text(item.get("started"))
        page.start_year = _int(item.get("start_year"), where)
        page.awards = _lines(item.get("awards"))
        page.themes = self._pick(self.themes, item.get("themes"))
        page.areas = self._pick(self.areas, item.get("areas"))
        page.interventions = self._pick(self.interventions, item.get("interventions"))
        page.organisations = self._pick(self.organisations, item.get("organisations"))
        page.related_resources = self._pick(self.resources, item.get("related_resources"))
        page.outcomes = [
            kb.CaseStudyOutcome(
                measure=_text(o.get("measure")),
                value=_decimal(o.get("value"), where),
                unit=_text(o.get("unit")),
                period=_text(o.get("period")),
                note=_text(o.get("note")),
            )
            for o in item.get("outcomes") or []
        ]
        page.contacts = [
            kb.CaseStudyContact(
                name=_text(c.get("name")),
                role=_text(c.get("role")),
                organisation=_text(c.get("organisation")),
                email=_text(c.get("email")),
                phone=_text(c.get("phone")),
            )
            for c in item.get("contacts") or []
        ]

    def _build_evidence(self, page, item, where):
        self._common(page, item)
        page.theme = self.themes.get(_text(item.get("theme")))
        page.background = _text(item.get("background"))
        page.key_messages = _lines(item.get("key_messages"))
        page.references = _lines(item.get("references"))
        page.interventions = self._pick(self.interventions, item.get("interventions"))
        page.key_statistics = [
            kb.KeyStatistic(
                measure=_text(s.get("measure")),
                value=_decimal(s.get("value"), where),
                unit=_text(s.get("unit")),
                period=_text(s.get("period")),
                source=_text(s.get("source")),
                group=_text(s.get("group")),
                chart=_text(s.get("chart")),
            )
            for s in item.get("key_statistics") or []
        ]
        table = item.get("recommendation_table") or {}
        page.table_number = _int(table.get("number"), where)
        page.table_title = _text(table.get("title"))
        page.table_total_count = _int(table.get("total_count"), where)
        page.table_total_share = _decimal(table.get("total_share"), where)
        page.recommendation_rows = [
            kb.RecommendationRow(
                category=_text(r.get("category")),
                sub_category=_text(r.get("sub_category")),
                count=_int(r.get("count"), where),
                share=_decimal(r.get("share"), where),
            )
            for r in table.get("rows") or []
        ]

    def _build_area_page(self, page, item, where):
        page.title = item["name"]
        page.area_id = item["area"]

    def _build_news(self, page, item, where):
        self._common(page, item)
        page.date = _date(item.get("date"), where)
        page.publication = _text(item.get("publication"))
        page.body = _text(item.get("body"))
        # source_file names the seed file the news item came from: provenance for editors,
        # not something to print. A news item is not part of the report, so no report section.
        page.source_reference = ""
        page.from_report = False
        page.themes = self._pick(self.themes, item.get("themes"))
        page.areas = self._pick(self.areas, item.get("areas"))
        page.quotes = [
            kb.NewsQuote(
                text=_text(q.get("text")), person=_text(q.get("person")), role=_text(q.get("role"))
            )
            for q in item.get("quotes") or []
        ]

    # ---------------------------------------------------------------- entry point
    def run(self) -> LoadReport:
        self.read()
        with transaction.atomic():
            self._load_records()
            self.load_taxonomy()
            self.ensure_site_tree()
            self.load_pages()
        return self.report

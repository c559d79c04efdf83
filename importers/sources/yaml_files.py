"""The report's YAML files (`fixtures/`) as items: read, checked, coerced; nothing written here.

`snippet_items(objects)` yields the taxonomy (parent themes before their children), and
`page_items(objects)` the pages. Both read `objects` (kind -> key -> object already applied) for
the few values that need an applied object, such as a theme's parent or an area page's area.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import models

from kb import models as kb
from kb.models.searchable import searchable_page_types

from ..items import PageItem, Ref, SnippetItem, item_hash
from ..values import ContentError, choice, decimal, iso_date, lines, text, whole_number

KEY_ALPHABET = set("abcdefghijklmnopqrstuvwxyz0123456789-")
# Part of every page's item hash: bump it when the way a fixture item becomes a page changes,
# so the next `make setup` re-applies unchanged items the new way.
PAGE_MAPPING_VERSION = 3

# The taxonomy: (item kind, its file, its model), parents' kinds before their children's.
SNIPPET_KINDS = (
    ("theme", "themes", kb.Theme),
    ("area", "areas", kb.Area),
    ("organisation", "organisations", kb.Organisation),
    ("intervention", "interventions", kb.Intervention),
    ("glossary", "glossary", kb.GlossaryTerm),
)
# A page type's YAML fields that are not named as its model's fields.
RENAMED = {"summary", "source", "title", "key"}


def page_types():
    """The page types loaded from a fixture file (`Searchable.fixture`), each after the page
    types its pages link to (a case study after the resources it names), else in the order
    the apps define them."""
    declared = [m for m in searchable_page_types() if m.searchable.fixture or m is kb.AreaPage]
    ordered = []

    def place(model):
        if model in ordered:
            return
        for field in _relations(model):
            if field.related_model in declared and field.related_model is not model:
                place(field.related_model)
        ordered.append(model)

    for model in declared:
        place(model)
    return ordered


def _own_fields(model):
    """The fields a page type adds to Wagtail's page, that an editor may set."""
    own = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [f for f in own if f.editable and not f.auto_created and not f.primary_key]


def _relations(model):
    """The page type's references to taxonomy items or other loaded pages, by key."""
    referable = {snippet for _kind, _file, snippet in SNIPPET_KINDS} | set(searchable_page_types())
    return [f for f in _own_fields(model) if f.is_relation and f.related_model in referable]


def _kind(model):
    """The item kind a reference to `model` names: a taxonomy kind or a page type key."""
    for kind, _file, snippet_model in SNIPPET_KINDS:
        if model is snippet_model:
            return kind
    return model.searchable.type_key


def _file_of(kind):
    for snippet_kind, name, _model in SNIPPET_KINDS:
        if kind == snippet_kind:
            return name
    return next(m.searchable.fixture for m in page_types() if m.searchable.type_key == kind)


def files():
    return [name for _kind, name, _model in SNIPPET_KINDS] + [
        model.searchable.fixture for model in page_types() if model.searchable.fixture
    ]


def references():
    """(file, YAML field, file it names keys of): every reference the loader checks."""
    found = []
    for model in page_types():
        if model.searchable.fixture:
            found += [
                (model.searchable.fixture, field.name, _file_of(_kind(field.related_model)))
                for field in _relations(model)
            ]
    return [*found, ("themes", "parent", "themes")]


def _refs(kind, keys):
    return [Ref(kind, text(k)) for k in keys or []]


def _ref(kind, key):
    return Ref(kind, text(key)) if text(key) else None


class YamlFiles:
    def __init__(self, fixtures_dir: Path):
        self.fixtures_dir = Path(fixtures_dir)
        self.data: dict[str, list] = {}

    # ---------------------------------------------------------------- reading and checking
    def read(self):
        for name in files():
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
        return self

    def _check_keys(self):
        for name, items in self.data.items():
            key_field = "term" if name == "glossary" else "key"
            seen = set()
            for position, item in enumerate(items, 1):
                if not isinstance(item, dict) or not text(item.get(key_field)):
                    raise ContentError(f"{name}.yaml item {position}: missing '{key_field}'")
                key = text(item[key_field])
                if key_field == "key" and not set(key) <= KEY_ALPHABET:
                    raise ContentError(f"{name}.yaml: key {key!r} must use a-z, 0-9 and '-'")
                if key in seen:
                    raise ContentError(f"{name}.yaml: key {key!r} appears twice")
                seen.add(key)
        keys = {name: {text(i.get("key")) for i in items} for name, items in self.data.items()}
        problems = []
        for source, attribute, target in references():
            for item in self.data[source]:
                value = item.get(attribute)
                wanted = value if isinstance(value, list) else [value] if value else []
                for ref in wanted:
                    if text(ref) not in keys[target]:
                        problems.append(f"{source}.yaml {item['key']}: unknown {target} {ref!r}")
        if problems:
            raise ContentError("; ".join(problems))

    # ---------------------------------------------------------------- snippets
    def snippet_items(self, objects):
        for position, item in self._parents_first(self.data["themes"]):
            key = item["key"]
            parent = objects.get("theme", {}).get(text(item.get("parent")))
            yield SnippetItem(
                "theme",
                key,
                kb.Theme,
                {
                    "name": text(item.get("name")),
                    "slug": key,
                    "description": text(item.get("description")),
                    "is_core": bool(item.get("core")),
                    "parent_id": parent.pk if parent else None,
                    "sort_order": position,
                },
                {"slug": key},
            )
        for item in self.data["areas"]:
            key = item["key"]
            where = f"areas.yaml {key}"
            values = {
                "name": text(item.get("name")),
                "slug": key,
                "kind": choice(item.get("kind"), kb.Area.Kind.choices, where, "local_authority"),
                "is_annex_area": bool(item.get("annex")),
                "region": text(item.get("region")),
                "ons_code": text(item.get("ons_code")),
            }
            yield SnippetItem("area", key, kb.Area, values, {"slug": key})
        for item in self.data["organisations"]:
            key = item["key"]
            where = f"organisations.yaml {key}"
            values = {
                "name": text(item.get("name")),
                "slug": key,
                "short_name": text(item.get("short_name")),
                "kind": choice(item.get("kind"), kb.Organisation.Kind.choices, where, "other"),
            }
            yield SnippetItem("organisation", key, kb.Organisation, values, {"slug": key})
        for item in self.data["interventions"]:
            key = item["key"]
            where = f"interventions.yaml {key}"
            values = {
                "name": text(item.get("name")),
                "slug": key,
                "description": text(item.get("description")),
                "gap_contribution_pp": decimal(item.get("gap_contribution_pp"), where),
                "timescale": choice(
                    item.get("timescale"), kb.Intervention.Timescale.choices, where
                ),
                "evidence": text(item.get("evidence")),
                "is_modelled": bool(item.get("modelled")),
            }
            yield SnippetItem("intervention", key, kb.Intervention, values, {"slug": key})
        for item in self.data["glossary"]:
            term = text(item["term"])
            values = {"term": term, "expansion": text(item.get("expansion"))}
            yield SnippetItem("glossary", term, kb.GlossaryTerm, values, {"term": term})

    @staticmethod
    def _parents_first(items):
        """(file position, item) with every parent theme before its children."""
        pending = list(enumerate(items))
        placed = set()
        while pending:
            ready = [(i, t) for i, t in pending if text(t.get("parent")) in placed | {""}]
            if not ready:
                keys = ", ".join(t["key"] for _, t in pending)
                raise ContentError(f"themes.yaml: parent themes form a loop among {keys}")
            for position, item in ready:
                placed.add(item["key"])
                yield position, item
            pending = [(i, t) for i, t in pending if t["key"] not in placed]

    # ---------------------------------------------------------------- pages
    def page_items(self, objects):
        for model in page_types():
            parent = model.clean_parent_page_models()[0]  # its first declared parent
            if model is kb.AreaPage:  # one per area, made from the areas file
                for key, area in objects.get("area", {}).items():
                    raw = {"key": key, "name": area.name, "area": area.pk}
                    page = self._page("area_page", model, parent, raw, None)
                    page.fields = {"title": area.name, "area_id": area.pk}
                    yield page
                continue
            kind = model.searchable.type_key
            build = BUILDERS.get(kind) or _declared_fields(model)
            for item in self.data[model.searchable.fixture]:
                yield self._page(kind, model, parent, item, build)

    @staticmethod
    def _page(kind, model, parent, raw, build):
        key = raw["key"]
        page = PageItem(
            kind=kind,
            key=key,
            model=model,
            parent=parent,
            slug=key,
            source_hash=item_hash([PAGE_MAPPING_VERSION, raw]),
        )
        if build is not None:
            build(page, raw, f"{kind} {key}")
        return page


# -------------------------------------------------------------------- page builders
def _common(page: PageItem, item):
    page.fields.update(
        title=text(item.get("title")),
        summary=text(item.get("summary")),
        source_reference=text(item.get("source")),
        from_report=True,  # only loaded report content may say "as published in 2010"
    )


def _resource(page: PageItem, item, where):
    _common(page, item)
    page.refs["publisher"] = _ref("organisation", item.get("publisher"))
    page.fields.update(
        resource_type=choice(
            item.get("resource_type"), kb.ResourcePage.ResourceType.choices, where, "report"
        ),
        year=whole_number(item.get("year"), where),
        url_as_published=text(item.get("url")),
        order_code=text(item.get("order_code")),
        phone=text(item.get("phone")),
        how_to_obtain=text(item.get("how_to_obtain")),
        languages=", ".join(text(lang) for lang in item.get("languages") or []),
        audience=text(item.get("audience")),
    )
    page.many["themes"] = _refs("theme", item.get("themes"))
    page.many["interventions"] = _refs("intervention", item.get("interventions"))


def _case_study(page: PageItem, item, where):
    _common(page, item)
    page.fields.update(
        aims=text(item.get("aims")),
        what_was_done=text(item.get("what_was_done")),
        evaluation_status=choice(
            item.get("evaluation_status"),
            kb.CaseStudyPage.EvaluationStatus.choices,
            where,
            "none",
        ),
        evaluation=text(item.get("evaluation")),
        started=text(item.get("started")),
        start_year=whole_number(item.get("start_year"), where),
        awards=lines(item.get("awards")),
    )
    page.many.update(
        themes=_refs("theme", item.get("themes")),
        areas=_refs("area", item.get("areas")),
        interventions=_refs("intervention", item.get("interventions")),
        organisations=_refs("organisation", item.get("organisations")),
        related_resources=_refs("resource", item.get("related_resources")),
    )
    outcomes = [
        {
            "measure": text(o.get("measure")),
            "value": decimal(o.get("value"), where),
            "unit": text(o.get("unit")),
            "period": text(o.get("period")),
            "note": text(o.get("note")),
        }
        for o in item.get("outcomes") or []
    ]
    contacts = [
        {
            "name": text(c.get("name")),
            "role": text(c.get("role")),
            "organisation": text(c.get("organisation")),
            "email": text(c.get("email")),
            "phone": text(c.get("phone")),
        }
        for c in item.get("contacts") or []
    ]
    page.children.update(
        outcomes=(kb.CaseStudyOutcome, outcomes), contacts=(kb.CaseStudyContact, contacts)
    )


def _evidence(page: PageItem, item, where):
    _common(page, item)
    table = item.get("recommendation_table") or {}
    page.refs["theme"] = _ref("theme", item.get("theme"))
    page.fields.update(
        background=text(item.get("background")),
        key_messages=lines(item.get("key_messages")),
        references=lines(item.get("references")),
        table_number=whole_number(table.get("number"), where),
        table_title=text(table.get("title")),
        table_total_count=whole_number(table.get("total_count"), where),
        table_total_share=decimal(table.get("total_share"), where),
    )
    page.many["interventions"] = _refs("intervention", item.get("interventions"))
    statistics = [
        {
            "measure": text(s.get("measure")),
            "value": decimal(s.get("value"), where),
            "unit": text(s.get("unit")),
            "period": text(s.get("period")),
            "source": text(s.get("source")),
            "group": text(s.get("group")),
            "chart": text(s.get("chart")),
        }
        for s in item.get("key_statistics") or []
    ]
    rows = [
        {
            "category": text(r.get("category")),
            "sub_category": text(r.get("sub_category")),
            "count": whole_number(r.get("count"), where),
            "share": decimal(r.get("share"), where),
        }
        for r in table.get("rows") or []
    ]
    page.children.update(
        key_statistics=(kb.KeyStatistic, statistics),
        recommendation_rows=(kb.RecommendationRow, rows),
    )


def _news(page: PageItem, item, where):
    _common(page, item)
    page.fields.update(
        date=iso_date(item.get("date"), where),
        publication=text(item.get("publication")),
        body=text(item.get("body")),
        # source_file names the seed file the news item came from: provenance for editors,
        # not something to print. A news item is not part of the report, so no report section.
        source_reference="",
        from_report=False,
    )
    page.many.update(
        themes=_refs("theme", item.get("themes")), areas=_refs("area", item.get("areas"))
    )
    quotes = [
        {"text": text(q.get("text")), "person": text(q.get("person")), "role": text(q.get("role"))}
        for q in item.get("quotes") or []
    ]
    page.children["quotes"] = (kb.NewsQuote, quotes)


def _declared_fields(model):
    """The builder for a page type with no builder of its own: each YAML field named as one of
    the model's own fields, read by the field's kind (text, number, date, choice, a reference
    to a taxonomy item or another page by its key)."""

    def build(page: PageItem, item, where):
        _common(page, item)
        for field in _own_fields(model):
            if field.name in RENAMED or field.name not in item:
                continue
            value = item.get(field.name)
            if field.is_relation and field not in _relations(model):
                found = _by_slug(field.related_model, value, where)
                if field.many_to_many:
                    page.many[field.name] = found
                else:
                    page.refs[field.name] = found[0] if found else None
            elif field.many_to_many:
                page.many[field.name] = _refs(_kind(field.related_model), value)
            elif field.is_relation:
                page.refs[field.name] = _ref(_kind(field.related_model), value)
            elif field.choices:
                page.fields[field.name] = choice(value, field.choices, where, field.default)
            elif isinstance(field, models.BooleanField):
                page.fields[field.name] = bool(value)
            elif isinstance(field, models.DateField):
                page.fields[field.name] = iso_date(value, where)
            elif isinstance(field, models.DecimalField):
                page.fields[field.name] = decimal(value, where)
            elif isinstance(field, models.IntegerField):
                page.fields[field.name] = whole_number(value, where)
            else:
                page.fields[field.name] = text(value)

    return build


def _by_slug(model, value, where):
    """Taxonomy the loader does not load itself (an app's own), found by slug: it must exist."""
    keys = [text(k) for k in (value if isinstance(value, list) else [value] if value else [])]
    found = {obj.slug: obj for obj in model.objects.filter(slug__in=keys)}
    unknown = [key for key in keys if key not in found]
    if unknown:
        name = model._meta.verbose_name
        raise ContentError(f"{where}: unknown {name} {', '.join(map(repr, unknown))}")
    return [found[key] for key in keys]


# The page types with builders of their own (their YAML names differ from their fields, or
# carry inline tables), by type key; every other page type is read by _declared_fields.
BUILDERS = {
    "resource": _resource,
    "case_study": _case_study,
    "evidence_summary": _evidence,
    "news": _news,
}

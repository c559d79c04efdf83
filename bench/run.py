"""One corpus size: the embedded engine, the bare FTS5 floor, the OpenSearch engine on a live
node, and Wagtail's database search.

Run by `python -m bench`; prints one JSON object. Everything lives in a temporary directory (a
fresh SQLite database and index, the node's data) that is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 3


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(function, arguments, rounds=ROUNDS):
    """Milliseconds per call, after one warm-up pass over every argument."""
    for argument in arguments:
        function(argument)
    samples = []
    for _ in range(rounds):
        for argument in arguments:
            started = time.perf_counter()
            function(argument)
            samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": percentile(samples, 0.5), "p95_ms": percentile(samples, 0.95)}


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(workdir: Path):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["KB_SEARCH_INDEX_PATH"] = str(workdir / "unused-index.sqlite3")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def embedded_phase(workdir, documents, filters, queries):
    from bench.corpus import Shapes
    from search.engines.base import SearchRequest
    from search.engines.embedded import EmbeddedEngine
    from search.engines.embedded.fts import translate
    from search.query.plan import plan_query
    from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms

    thesaurus = build_thesaurus(
        parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8")), Shapes().glossary
    )
    engine = EmbeddedEngine(workdir / "index.sqlite3", thesaurus=thesaurus)
    started = time.perf_counter()
    count = engine.rebuild(documents)
    rebuild_seconds = time.perf_counter() - started
    conn = engine.connect()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    results = {
        "documents": count,
        "rebuild_s": rebuild_seconds,
        "rebuild_docs_per_s": count / rebuild_seconds,
        "index_mb": engine.size_bytes() / 2**20,
    }
    plain = [SearchRequest.build(query=q) for q in queries]
    faceted = [SearchRequest.build(query=q, filters=filters) for q in queries]
    results["ours"] = timed(engine.search, plain)
    results["ours_faceted"] = timed(engine.search, faceted)

    def first_search(request):
        """A search as if no query had been seen in this index generation."""
        engine.drop_cached_matches()
        return engine.search(request)

    results["ours_cold"] = timed(first_search, plain)
    expressions = [translate(plan_query(q, thesaurus)).match for q in queries]

    def floor(expression):
        return conn.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20", (expression,)
        ).fetchall()

    results["floor"] = timed(floor, expressions)
    results["matches_per_query"] = sorted(engine.search(r).total for r in plain)
    results["peak_rss_mb_after_embedded"] = rss_mb()
    engine.close()
    return results


def opensearch_phase(workdir, documents, filters, queries):
    """The cluster engine on its own single node (services/opensearch/), same corpus and queries.

    The node is started here and stopped at the end (its stdin closes with this process, so it
    never outlives the benchmark). Memory is the JVM's resident set, read from /proc.
    """
    from bench.corpus import Shapes
    from search.engines.base import SearchRequest
    from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms
    from services.opensearch.node import OpenSearchNode, why_unavailable

    try:
        from search.engines import cluster
        from search.engines.cluster import dialects
        from search.query.spelling import SpellingRules
    except ImportError as error:  # a checkout from before the OpenSearch engine
        return {"opensearch_skipped": f"no OpenSearch engine here ({error})"}

    reason = why_unavailable()
    if reason:
        return {"opensearch_skipped": reason}
    # The same thesaurus as the embedded phase: the cluster engine expands synonyms from it.
    thesaurus = build_thesaurus(
        parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8")), Shapes().glossary
    )
    spelling = SpellingRules.from_thesaurus(thesaurus)
    node = OpenSearchNode(workdir / "opensearch").start()
    try:
        engine = cluster.ClusterEngine(
            dialects.build_dialect("opensearch", node.url),
            prefix="kb-bench",
            spelling_rules=lambda: spelling,
        )
        results = {"opensearch_start_s": node.start_seconds}
        started = time.perf_counter()
        count = engine.rebuild(documents)
        seconds = time.perf_counter() - started
        stats = node.call(f"/{engine.alias}/_stats/store,docs")["_all"]["primaries"]
        results.update(
            opensearch_documents=count,
            opensearch_rebuild_s=seconds,
            opensearch_rebuild_docs_per_s=count / seconds,
            opensearch_index_mb=stats["store"]["size_in_bytes"] / 2**20,
            opensearch_index_docs=stats["docs"]["count"],
        )
        plain = [SearchRequest.build(query=q) for q in queries]
        faceted = [SearchRequest.build(query=q, filters=filters) for q in queries]
        results["opensearch"] = timed(engine.search, plain)
        results["opensearch_faceted"] = timed(engine.search, faceted)
        results["opensearch_matches_per_query"] = sorted(engine.search(r).total for r in plain)
        memory = node.memory_mb()
        results["opensearch_rss_mb"] = memory["rss"]
        results["opensearch_peak_rss_mb"] = memory["peak"]
        results["opensearch_heap"] = os.environ.get("OPENSEARCH_HEAP", "512m")
        return results
    finally:
        node.stop()


def create_pages(documents):
    """The same corpus as Wagtail pages, inserted in bulk (creating 100k pages one by one
    through the page tree would take hours)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from treebeard.numconv import NumConv
    from wagtail.models import Locale, Page

    from kb.models import Area, Intervention, Organisation
    from kb.models import Theme as ThemeModel
    from kb.models.searchable import searchable_page_types

    # The page types the synthetic corpus holds, by type key, from the page-type registry.
    kinds = {doc["type"][0]["value"] for doc in documents}
    models = {
        model.searchable.type_key: model
        for model in searchable_page_types()
        if model.searchable.type_key in kinds
    }
    taxonomy = {}
    for model, field in (
        (ThemeModel, "themes"),
        (Area, "areas"),
        (Intervention, "interventions"),
        (Organisation, "publisher"),
    ):
        values = {t["value"]: t["label"] for d in documents for t in d[field]}
        model.objects.bulk_create(
            [model(slug=slug, name=label) for slug, label in values.items()],
            ignore_conflicts=True,
        )
        taxonomy[field] = dict(model.objects.values_list("slug", "pk"))
    root = Page.objects.get(depth=1)
    locale = Locale.get_default()
    start = root.numchild + 1
    converter = NumConv(Page.alphabet)
    content_types = {key: ContentType.objects.get_for_model(m) for key, m in models.items()}
    with transaction.atomic():
        pages = []
        for offset, doc in enumerate(documents):
            type_key = doc["type"][0]["value"]
            slug = f"bench-{doc['id']}"
            pages.append(
                Page(
                    title=doc["title"][:255],
                    draft_title=doc["title"][:255],
                    slug=slug,
                    path=root.path + converter.int2str(start + offset).rjust(4, "0"),
                    depth=2,
                    numchild=0,
                    url_path=f"{root.url_path}{slug}/",
                    live=True,
                    content_type=content_types[type_key],
                    locale=locale,
                )
            )
        Page.objects.bulk_create(pages, batch_size=2000)
        Page.objects.filter(pk=root.pk).update(numchild=root.numchild + len(pages))
        ids = dict(
            Page.objects.filter(depth=2, slug__startswith="bench-").values_list("slug", "pk")
        )
        rows = {key: [] for key in models}
        links = []
        for doc in documents:
            page_id = ids[f"bench-{doc['id']}"]
            type_key = doc["type"][0]["value"]
            row = {"page_ptr_id": page_id, "summary": doc["summary"]}
            if type_key == "case_study":
                row.update(
                    what_was_done=doc["body"],
                    evaluation_status=doc["evaluation_status"][0]["value"],
                    start_year=doc["year"],
                )
            elif type_key == "resource":
                row.update(
                    how_to_obtain=doc["body"],
                    resource_type=doc["resource_type"][0]["value"],
                    publisher_id=taxonomy["publisher"][doc["publisher"][0]["value"]],
                    year=doc["year"],
                )
            else:
                row.update(body=doc["body"], date=doc["date"])
            rows[type_key].append(row)
            for field in ("themes", "areas", "interventions"):
                for term in doc[field]:
                    links.append((models[type_key], field, page_id, taxonomy[field][term["value"]]))
        with connection.cursor() as cursor:
            for key, model in models.items():
                fields = model._meta.local_concrete_fields
                columns = ", ".join(f.column for f in fields)
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})",
                    [[row.get(f.attname, f.get_default()) for f in fields] for row in rows[key]],
                )
            for model, field in {(m, f) for m, f, _p, _v in links}:
                through = getattr(model, field).through
                source = through._meta.get_field(model._meta.model_name).column
                target = [
                    f.column
                    for f in through._meta.local_concrete_fields
                    if f.column not in ("id", source)
                ][0]
                cursor.executemany(
                    f"INSERT INTO {through._meta.db_table} ({source}, {target}) VALUES (%s, %s)",
                    [(p, v) for m, f, p, v in links if (m, f) == (model, field)],
                )
    return models


def wagtail_phase(documents, filters, queries):
    """Wagtail's database search (`Page.objects.search()`) with facet counts from the ORM."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from search.documents import all_documents
    from search.facets import FACETS_BY_NAME

    started = time.perf_counter()
    models = create_pages(documents)
    load_seconds = time.perf_counter() - started
    # The Django side of a rebuild, which embedded_phase's timing (ready-made dicts) leaves out:
    # search documents built from these pages, as `search_index rebuild` builds them.
    started = time.perf_counter()
    built = sum(1 for _document in all_documents())
    documents_seconds = time.perf_counter() - started
    backend = get_search_backend()
    started = time.perf_counter()
    for model in models.values():
        ids = list(model.objects.values_list("pk", flat=True))
        for chunk_start in range(0, len(ids), 1000):
            backend.add_bulk(
                model, list(model.objects.filter(pk__in=ids[chunk_start : chunk_start + 1000]))
            )
    index_seconds = time.perf_counter() - started

    # (facet, model, m2m field) for the ORM counts: each page type that has the facet's field
    facet_sources = {
        name: [
            (model, FACETS_BY_NAME[name].page_field)
            for model in models.values()
            if FACETS_BY_NAME[name].page_field in {f.name for f in model._meta.many_to_many}
        ]
        for name in ("theme", "area", "intervention")
    }

    def search(query, active=None):
        active = active or {}
        # One search: the backend's ranked queryset, evaluated once for primary keys only (no
        # Page objects); the first page is its first 20, the facet counts use all of them.
        ranked = Page.objects.live().search(query).get_queryset()
        matched = list(ranked.values_list("pk", flat=True))
        first_page = matched[:20]
        kinds = (
            dict(Page.objects.filter(pk__in=matched).values_list("pk", "content_type__model"))
            if matched
            else {}
        )
        memberships = {}  # facet -> {page id: set(values)}
        for facet, sources in facet_sources.items():
            member = {}
            for model, field in sources:
                through = getattr(model, field).through
                source = model._meta.model_name
                target = [
                    f.name
                    for f in through._meta.get_fields()
                    if f.is_relation and f.name not in (source, "id")
                ][0]
                rows = through.objects.filter(**{f"{source}_id__in": matched}).values_list(
                    f"{source}_id", f"{target}__slug"
                )
                for page_id, slug in rows:
                    member.setdefault(page_id, set()).add(slug)
            memberships[facet] = member
        memberships["type"] = {
            pk: {next(k for k, m in models.items() if m._meta.model_name == name)}
            for pk, name in kinds.items()
        }

        def passes(pk, skip):
            return all(
                memberships[f].get(pk, set()) & set(values)
                for f, values in active.items()
                if f != skip
            )

        counts = {}
        for facet in memberships:
            facet_counts = {}
            for pk in matched:
                if passes(pk, facet):
                    for value in memberships[facet].get(pk, ()):
                        facet_counts[value] = facet_counts.get(value, 0) + 1
            counts[facet] = facet_counts
        total = sum(1 for pk in matched if passes(pk, None))
        return first_page, total, counts

    return {
        "pages_load_s": load_seconds,
        "documents_from_pages": built,
        "documents_from_pages_s": documents_seconds,
        "documents_from_pages_per_s": built / documents_seconds,
        "wagtail_index_s": index_seconds,
        "wagtail": timed(search, queries, rounds=1),
        "wagtail_faceted": timed(lambda q: search(q, filters), queries, rounds=1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--skip-wagtail", action="store_true")
    parser.add_argument("--skip-opensearch", action="store_true")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        setup_django(workdir)
        from bench.corpus import QUERIES, specs, three_filters

        documents = specs(options.size)
        filters = three_filters(documents)
        result = {"size": options.size, "filters": filters}
        result.update(embedded_phase(workdir, documents, filters, QUERIES))
        if not options.skip_opensearch:
            result.update(opensearch_phase(workdir, documents, filters, QUERIES))
        if not options.skip_wagtail:
            result.update(wagtail_phase(documents, filters, QUERIES))
        result["peak_rss_mb_total"] = rss_mb()
        print(json.dumps(result))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

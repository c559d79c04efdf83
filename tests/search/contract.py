"""The shared engine contract: what every search engine must do, on a small known corpus.

How to plug in an engine
------------------------
Subclass `EngineContract` in a test module (the name must start with `Test`) and provide an
`engine` fixture returning an *empty, isolated* engine (its own index file or index name, never
the shared one). The contract loads `CORPUS` into it with `engine.rebuild(...)` itself.

    from tests.search.contract import EngineContract

    class TestMyEngine(EngineContract):
        @pytest.fixture
        def engine(self, tmp_path):
            engine = MyEngine(...)
            yield engine
            engine.drop()  # whatever cleans up

Requirements on the engine beyond the `SearchEngine` interface:
- writes (`rebuild`, `index_documents`, `delete`) are visible to `search` when the call returns;
- synonyms come from `search/synonyms.txt` (the glossary is not needed by these tests);
- the response's facet lists follow `search.facets.FACETS`.

The corpus is plain dicts in the shape `search.documents.build_document` produces, so these tests
need no database. Expected facet counts are computed here by brute force from the dicts.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools

import pytest

from search import matching, policy
from search.documents import new_document
from search.engines.base import SearchRequest
from search.facets import FACETS, FACETS_BY_NAME


def term(value, label=None):
    return {"value": value, "label": label or value.replace("-", " ").capitalize()}


MANY_AREAS = [
    "barnsley",
    "bradford",
    "doncaster",
    "hull",
    "knowsley",
    "liverpool",
    "manchester",
    "oldham",
    "rochdale",
    "salford",
    "sandwell",
]


def doc(doc_id, title, type_key, *, summary="", body="", year=None, date=None, **facets):
    document = new_document(
        doc_id,
        title,
        type_key,
        summary=summary,
        body=body,
        year=year,
        url=f"/test/{doc_id}/",
        date=date,
        first_published_at="2010-07-01T00:00:00+00:00",
        last_published_at="2010-07-01T00:00:00+00:00",
    )
    for name, values in facets.items():
        document[name] = [term(*v) if isinstance(v, tuple) else term(v) for v in values]
    return document


def corpus() -> list[dict]:
    """A dozen documents with known words and tags (a fresh copy each call)."""
    return [
        doc(
            101,
            "Reducing sudden unexpected deaths in infancy: safe sleep programme",
            "case_study",
            summary="A programme to reduce SUDI through safe sleeping advice for every family.",
            body="Health visitors gave advice on bed sharing and room temperature.",
            year=2008,
            themes=[("safeguarding-and-sudi", "Safeguarding and SUDI")],
            areas=[("bolton", "Bolton")],
            interventions=[("safe-sleep-advice", "Safe sleep advice")],
            evaluation_status=[("internal", "Internal evaluation")],
        ),
        doc(
            102,
            "Cot death awareness leaflet",
            "resource",
            summary="A leaflet for parents on reducing the risk of cot death.",
            body="Order from the charity. Available in Urdu and Bengali.",
            year=2009,
            themes=[("safeguarding-and-sudi", "Safeguarding and SUDI")],
            interventions=[("safe-sleep-advice", "Safe sleep advice")],
            publisher=[("fsid", "FSID")],
            resource_type=[("leaflet", "Leaflet or booklet")],
            areas=[(slug, slug.capitalize()) for slug in MANY_AREAS],
        ),
        doc(
            103,
            "Supporting young fathers in Newcastle",
            "case_study",
            summary="A project that helps young fathers take part in their baby's care.",
            body="Workers met teenage fathers at home and in youth centres.",
            year=2006,
            themes=[("teenage-pregnancy", "Teenage pregnancy")],
            areas=[("newcastle", "Newcastle")],
            interventions=[("parenting-support", "Parenting support")],
            evaluation_status=[("external_done", "Externally evaluated")],
        ),
        doc(
            104,
            "Weight management in pregnancy service",
            "case_study",
            summary="A service for obese pregnant women, offering healthy eating sessions.",
            body="Women with a body mass index over 30 were referred by midwives.",
            year=2007,
            themes=[("maternal-and-infant-nutrition", "Maternal and infant nutrition")],
            areas=[("dudley", "Dudley")],
            interventions=[("weight-management", "Weight management")],
            evaluation_status=[("internal", "Internal evaluation")],
        ),
        doc(
            105,
            "Breastfeeding peer support in Calderdale",
            "case_study",
            summary="Trained mothers support new mothers to keep breastfeeding.",
            body="Peer supporters visited wards every day.",
            year=2005,
            themes=[("breastfeeding", "Breastfeeding")],
            areas=[("calderdale", "Calderdale")],
            interventions=[("peer-support", "Peer support")],
            evaluation_status=[("none", "Not evaluated")],
        ),
        doc(
            106,
            "Smoke free homes scheme",
            "case_study",
            summary="Families promise to keep their home free of second-hand smoke.",
            body="Each family that signed up received a certificate.",
            year=2009,
            themes=[("reducing-maternal-smoking", "Reducing maternal smoking")],
            areas=[("dudley", "Dudley")],
            interventions=[("smokefree-homes", "Smokefree homes")],
            evaluation_status=[("none", "Not evaluated")],
        ),
        doc(
            107,
            "Passive smoking and children: a briefing",
            "resource",
            summary="Why passive smoking harms babies and young children.",
            body="Evidence and guidance for practitioners.",
            year=2007,
            themes=[("reducing-maternal-smoking", "Reducing maternal smoking")],
            publisher=[("dh", "DH")],
            resource_type=[("briefing_paper", "Briefing paper")],
        ),
        doc(
            108,
            "Bolton",
            "area",
            summary="Bolton: Local authority",
            areas=[("bolton", "Bolton")],
        ),
        doc(
            109,
            "Breast feeding guidance for black and minority ethnic communities",
            "resource",
            summary="Guidance on culturally appropriate breastfeeding support.",
            body='Beware <script>alert("x")</script> & "quoted" text in source material.',
            year=2008,
            themes=[("breastfeeding", "Breastfeeding"), ("ethnicity", "Ethnicity")],
            publisher=[("nice", "NICE")],
            resource_type=[("guidance", "Guidance")],
        ),
        doc(
            110,
            "Housing and overcrowding: evidence summary",
            "evidence_summary",
            summary="Overcrowded housing is linked to infant deaths.",
            body="Key messages for housing officers.",
            themes=[("housing", "Housing")],
        ),
        doc(
            111,
            "Award for teenage pregnancy work in Bolton",
            "news",
            summary="Bolton's integrated care pathway for pregnant teenagers won an award.",
            body="The team was praised by ministers.",
            year=2010,
            date="2010-05-01",
            themes=[("teenage-pregnancy", "Teenage pregnancy")],
            areas=[("bolton", "Bolton")],
        ),
        doc(
            112,
            "Smoking in pregnancy survey",
            "resource",
            summary="Findings of an NPEU survey of women who smoked while pregnant.",
            body="The National Perinatal Epidemiology Unit asked 5,000 mothers.",
            year=2006,
            themes=[("reducing-maternal-smoking", "Reducing maternal smoking")],
            publisher=[("npeu", "NPEU")],
            resource_type=[("report", "Report")],
        ),
    ]


def expected_total(documents, filters):
    return len([d for d in documents if _passes(d, filters)])


def _values(document, facet_name):
    return {t["value"] for t in document.get(FACETS_BY_NAME[facet_name].field) or []}


def _passes(document, filters, skip=None):
    return all(
        _values(document, name) & set(values)
        for name, values in filters.items()
        if values and name != skip
    )


def expected_counts(documents, filters, facet_name):
    """Disjunctive counts by brute force: every filter applies except the facet's own."""
    counts = {}
    for document in documents:
        if _passes(document, filters, skip=facet_name):
            for value in _values(document, facet_name):
                counts[value] = counts.get(value, 0) + 1
    for value in filters.get(facet_name, ()):
        counts.setdefault(value, 0)
    return counts


def request(query="", sort="relevance", page=1, **filters):
    return SearchRequest.build(query=query, filters=filters, sort=sort, page=page)


def ids(response):
    return [hit.id for hit in response.hits]


def top(response, n=3):
    return ids(response)[:n]


def counts(response, facet_name):
    return {v.value: v.count for v in response.facets[facet_name]}


class _BehaviourContract:
    """Tests any engine must pass. Provide an `engine` fixture (see the module docstring).

    The shared rules' tests (SharedRulesContract, below) come with it.
    """

    @pytest.fixture
    def loaded(self, engine):
        assert engine.rebuild(corpus()) == len(corpus())
        return engine

    # --- text matching ---

    def test_empty_query_lists_everything(self, loaded):
        response = loaded.search(request())
        assert response.total == len(corpus())
        assert response.engine == loaded.name

    def test_matches_words_in_the_text(self, loaded):
        assert top(loaded.search(request("overcrowding")), 1) == [110]

    def test_title_outranks_body(self, loaded):
        # "guidance" is in 109's title and only in 107's body.
        assert ids(loaded.search(request("guidance"))) == [109, 107]

    def test_stemming_joins_word_forms(self, loaded):
        for query in ("father", "fathers", "fathering"):
            assert 103 in ids(loaded.search(request(query))), query
        assert 110 in ids(loaded.search(request("overcrowded")))

    def test_pages_matching_every_concept_come_first(self, loaded):
        response = loaded.search(request("passive smoking children"))
        assert ids(response)[:1] == [107]
        assert response.exact_total == 1
        assert response.warnings == []

    # --- partial matches (the shared rule: policy.partial_matches) ---

    def test_best_pages_missing_one_concept_follow_the_full_matches(self, loaded):
        # "smoking children": 107 has both; 106 (smoke) and 112 (smoking) miss "children".
        response = loaded.search(request("smoking children"))
        assert ids(response)[0] == 107
        assert {106, 112} <= set(ids(response)[1:])
        assert (response.exact_total, response.total) == (1, len(ids(response)))
        assert response.warnings == []  # some page matched every concept: no notice

    def test_notice_only_when_no_page_matches_every_concept(self, loaded):
        from search.policy import PARTIAL_NOTICE

        response = loaded.search(request("overcrowding zebras"))
        assert ids(response) == [110]
        assert (response.exact_total, response.total) == (0, 1)
        assert response.warnings == [policy.best_match_notice(["overcrowding"])]
        assert response.warnings[0].startswith(PARTIAL_NOTICE)
        single = loaded.search(request("zebras"))
        assert (single.total, single.warnings) == (0, [])

    def test_partial_matches_are_counted_and_faceted(self, loaded):
        response = loaded.search(request("smoking children", type=["resource"]))
        assert set(ids(response)) == {107, 112}
        assert response.exact_total == 1
        assert counts(response, "type") == {"resource": 2, "case_study": 1}

    def test_full_matches_first_in_every_sort_order(self, loaded):
        for sort in ("newest", "title"):
            response = loaded.search(request("smoking children", sort=sort))
            assert ids(response)[0] == 107, sort
            assert len(ids(response)) == response.total

    def test_paging_runs_on_from_the_full_matches_into_the_partial_ones(self, loaded):
        base = request("smoking children")
        everything = ids(loaded.search(base))
        pages = [ids(loaded.search(dataclasses.replace(base, page_size=2, page=n))) for n in (1, 2)]
        assert pages[0] + pages[1] == everything[:4]

    def test_a_filter_keeps_the_order_and_drops_only_the_pages_it_excludes(self, loaded):
        # Full matches, then partial ones, in every sort order; paged one at a time too.
        for sort in ("relevance", "newest", "title"):
            everything = loaded.search(request("smoking children", sort=sort))
            resources = [hit.id for hit in everything.hits if hit.type_key == "resource"]
            kept = request("smoking children", sort=sort, type=["resource"])
            assert ids(loaded.search(kept)) == resources, sort
            one_by_one = [
                ids(loaded.search(dataclasses.replace(kept, page_size=1, page=n)))
                for n in range(1, len(resources) + 1)
            ]
            assert sum(one_by_one, []) == resources, sort

    # --- feeds and alerts: a search's whole result set ---

    @pytest.mark.parametrize(
        "query, filters",
        [
            ("smoking children", {}),
            ("", {"type": ["resource"]}),
            ("smoking children", {"type": ["resource"]}),
        ],
    )
    def test_every_hit_lists_what_the_results_pages_list(self, loaded, monkeypatch, query, filters):
        """Feeds and email alerts follow a search through `search.matching.every_hit`, in
        batches: it must list exactly the pages the results pages list, in their order
        (partial matches included), so a feed or an alert matches what the search page shows."""
        monkeypatch.setattr(matching, "BATCH_SIZE", 2)
        base = request(query, **filters)
        listed, number = [], 1
        while True:
            response = loaded.search(dataclasses.replace(base, page=number))
            listed += ids(response)
            if number >= response.pages:
                break
            number += 1
        whole = matching.every_hit(loaded, base)
        assert listed and [hit.id for hit in whole.hits] == listed
        if not query:
            assert set(listed) == {d["id"] for d in corpus() if _passes(d, filters)}

    def test_area_pages_are_found_by_place_name(self, loaded):
        assert top(loaded.search(request("Bolton")), 1) == [108]

    def test_taxonomy_labels_are_searchable(self, loaded):
        assert 103 in ids(loaded.search(request("parenting support")))

    # --- synonyms and acronyms ---

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("cot death", {101, 102}),
            ("SUDI", {101, 102}),
            ("sudden unexpected death in infancy", {101, 102}),
            ("young dads", {103}),
            ("BME", {109}),
            ("smokefree", {106}),
            ("passive smoking", {106, 107}),
            ("second-hand smoke", {106, 107}),
            ("breast feeding", {105, 109}),
            ("obesity", {104}),
        ],
    )
    def test_synonyms_and_acronyms_expand(self, loaded, query, expected):
        assert expected <= set(ids(loaded.search(request(query)))), query

    @pytest.mark.parametrize("query, expected", [("SUDI", 101), ("FSID", 102), ("NPEU", 112)])
    def test_acronyms_are_never_corrected(self, loaded, query, expected):
        response = loaded.search(request(query))
        assert expected in ids(response)
        assert response.suggestion is None
        assert response.corrected_from is None

    def test_acronym_typed_in_lower_case_is_not_corrected(self, engine):
        # "sudi" (the synonyms file's SUDI) is absent from this index and one edit from "suds":
        # only knowing it as a thesaurus word keeps it from being "corrected".
        bath = doc(201, "Bath time", "resource", summary="Soap suds and the water temperature.")
        engine.rebuild([bath])
        response = engine.search(request("sudi"))
        assert (response.total, response.suggestion, response.corrected_from) == (0, None, None)
        # The same distance from "suds" in an ordinary word is corrected.
        assert engine.search(request("sudz")).suggestion == "suds"

    def test_unknown_acronym_in_capitals_is_not_corrected(self, loaded):
        response = loaded.search(request("NPEX"))
        assert response.total == 0
        assert response.suggestion is None

    # --- typos ---

    def test_typo_is_corrected_and_retried(self, loaded):
        response = loaded.search(request("breastfeding"))
        assert response.suggestion == "breastfeeding"
        assert response.corrected_from == "breastfeding"
        assert 105 in ids(response)

    def test_typo_with_a_correct_word(self, loaded):
        response = loaded.search(request("overcrowding evidnce"))
        assert response.suggestion == "overcrowding evidence"
        assert ids(response)[:1] == [110]
        assert response.exact_total == 1

    def test_nonsense_gets_no_suggestion(self, loaded):
        response = loaded.search(request("zzqxj"))
        assert response.total == 0
        assert response.suggestion is None

    # --- facets ---

    def test_values_or_within_a_facet(self, loaded):
        response = loaded.search(request(theme=["housing", "breastfeeding"]))
        assert set(ids(response)) == {105, 109, 110}

    def test_facets_and_across(self, loaded):
        response = loaded.search(
            request(theme=["reducing-maternal-smoking"], area=["dudley", "bolton"])
        )
        assert ids(response) == [106]

    def test_counts_are_disjunctive(self, loaded):
        filters = {"theme": ["reducing-maternal-smoking"], "type": ["case_study"]}
        response = loaded.search(request(**filters))
        theme_counts = counts(response, "theme")
        # The theme's own filter is ignored for its counts, so a user can widen the choice.
        assert theme_counts["breastfeeding"] == 1
        assert theme_counts["reducing-maternal-smoking"] == 1
        assert counts(response, "type") == {"case_study": 1, "resource": 2}

    def test_counts_are_exact_under_every_combination(self, loaded):
        documents = corpus()
        choices = {
            "theme": ["reducing-maternal-smoking", "teenage-pregnancy", "breastfeeding"],
            "area": ["bolton", "dudley"],
            "type": ["case_study", "resource"],
        }
        options = {
            name: [
                list(c) for n in range(len(values) + 1) for c in itertools.combinations(values, n)
            ]
            for name, values in choices.items()
        }
        for theme, area, type_ in itertools.product(*options.values()):
            filters = {"theme": theme, "area": area, "type": type_}
            response = loaded.search(request(**filters))
            assert response.total == expected_total(documents, filters), filters
            for facet in FACETS:
                assert counts(response, facet.name) == expected_counts(
                    documents, filters, facet.name
                ), (filters, facet.name)

    def test_counts_under_a_text_query(self, loaded):
        response = loaded.search(request("smoking", area=["dudley"]))
        assert ids(response) == [106]
        assert counts(response, "area") == {"dudley": 1}
        assert counts(response, "type") == {"case_study": 1}

    def test_every_value_is_listed_without_a_cap(self, loaded):
        response = loaded.search(request())
        all_areas = {v for d in corpus() for v in _values(d, "area")}
        assert len(all_areas) > 10
        assert set(counts(response, "area")) == all_areas

    def test_selected_value_stays_listed_with_zero(self, loaded):
        response = loaded.search(request(theme=["housing"], area=["newcastle"]))
        assert response.total == 0
        newcastle = [v for v in response.facets["area"] if v.value == "newcastle"]
        assert newcastle and newcastle[0].count == 0 and newcastle[0].selected
        assert newcastle[0].label == "Newcastle"

    def test_labels_and_selected_flags(self, loaded):
        response = loaded.search(request(theme=["housing"]))
        housing = [v for v in response.facets["theme"] if v.value == "housing"][0]
        assert (housing.label, housing.selected) == ("Housing", True)
        assert not any(v.selected for v in response.facets["area"])

    def test_unknown_facet_values_are_ignored_with_a_warning(self, loaded):
        response = loaded.search(request(theme=["housing", "no-such-theme"]))
        assert ids(response) == [110]
        assert any("no-such-theme" in warning for warning in response.warnings)

    # --- sorting and paging ---

    def test_sort_by_title(self, loaded):
        response = loaded.search(request(sort="title"))
        titles = [hit.title.casefold() for hit in response.hits]
        assert titles == sorted(titles)

    def test_sort_by_newest(self, loaded):
        response = loaded.search(request(sort="newest"))
        dated = [hit for hit in response.hits if hit.year]
        assert [hit.id for hit in dated][:1] == [111]
        years = [hit.year for hit in dated]
        assert years == sorted(years, reverse=True)
        # Items without a year come last.
        first_undated = next(i for i, hit in enumerate(response.hits) if not hit.year)
        assert all(not hit.year for hit in response.hits[first_undated:])

    def test_relevance_sort_with_a_query_orders_by_score(self, loaded):
        response = loaded.search(request("smoking"))
        assert set(ids(response)) == {106, 107, 112}
        # "mothers" is in 105's summary and only in 112's body: the summary weighs more.
        assert ids(loaded.search(request("mothers"))) == [105, 112]

    def test_paging(self, loaded):
        base = request(sort="title")
        first = loaded.search(dataclasses.replace(base, page_size=5))
        second = loaded.search(dataclasses.replace(base, page_size=5, page=2))
        third = loaded.search(dataclasses.replace(base, page_size=5, page=3))
        assert first.total == second.total == len(corpus())
        assert (first.pages, len(first.hits), len(second.hits), len(third.hits)) == (3, 5, 5, 2)
        all_ids = ids(first) + ids(second) + ids(third)
        assert sorted(all_ids) == sorted(d["id"] for d in corpus())

    def test_page_past_the_end_is_empty(self, loaded):
        response = loaded.search(request(page=50))
        assert response.total == len(corpus())
        assert response.hits == []

    # --- results ---

    def test_hit_fields(self, loaded):
        hit = loaded.search(request("young fathers")).hits[0]
        assert hit.id == 103
        assert (hit.title, hit.url, hit.type, hit.type_key) == (
            "Supporting young fathers in Newcastle",
            "/test/103/",
            "Case study",
            "case_study",
        )
        assert (hit.themes, hit.areas, hit.interventions, hit.year) == (
            ["Teenage pregnancy"],
            ["Newcastle"],
            ["Parenting support"],
            2006,
        )

    def test_snippet_marks_matches(self, loaded):
        hit = loaded.search(request("peer support")).hits[0]
        assert "<mark>" in hit.snippet

    def test_snippet_is_escaped(self, loaded):
        hit = loaded.search(request("script alert")).hits[0]
        assert hit.id == 109
        assert "<script>" not in hit.snippet
        assert "&lt;" in hit.snippet
        assert "<mark>script</mark>" in hit.snippet
        stripped = hit.snippet.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped

    def test_snippet_marks_synonym_matches(self, loaded):
        hit = [h for h in loaded.search(request("cot death")).hits if h.id == 101][0]
        assert "<mark>SUDI</mark>" in hit.snippet

    def test_prefix_suggestions(self, loaded):
        assert "Breastfeeding peer support in Calderdale" in loaded.suggest("breastf")
        assert "Smoke free homes scheme" in loaded.suggest("smoke fr")
        assert loaded.suggest("") == []

    # --- odd input is searched as text ---

    @pytest.mark.parametrize(
        "query",
        [
            '"',
            '"unbalanced',
            "AND",
            "OR NOT",
            "NEAR(a b)",
            "title:housing",
            "*",
            "^housing",
            "housing*",
            "(((",
            "-housing",
            "🙂",
            "héllo wörld",
            "\u202e\u200b",
            "a" * 200,
            "{}[]<>;'\\",
        ],
    )
    def test_odd_queries_never_fail(self, loaded, query):
        response = loaded.search(request(query))
        assert response.total >= 0

    def test_operators_are_words(self, loaded):
        # Searched as words, never as FTS or Lucene operators: "NOT" excludes nothing (it is a
        # stop word), and "OR" widens nothing (no page has both words).
        assert 110 in ids(loaded.search(request("housing NOT overcrowded")))
        assert loaded.search(request("housing OR smoking")).exact_total == 0
        assert loaded.search(request("housing overcrowded")).exact_total == 1
        assert 110 in ids(loaded.search(request("^housing*")))

    # --- maintenance ---

    def test_index_documents_adds_and_replaces(self, loaded):
        changed = copy.deepcopy(corpus()[9])
        changed["title"] = "Damp homes and infant health"
        changed["summary"] = "Cold, damp homes harm babies."
        changed["themes"] = [term("breastfeeding", "Breastfeeding")]
        new = doc(150, "Gypsy and traveller health visiting", "case_study", year=2010)
        loaded.index_documents([changed, new])
        assert ids(loaded.search(request("damp"))) == [110]
        assert ids(loaded.search(request("overcrowding"))) == []
        assert ids(loaded.search(request("traveller"))) == [150]
        response = loaded.search(request(theme=["breastfeeding"]))
        assert set(ids(response)) == {105, 109, 110}
        assert "housing" not in counts(loaded.search(request()), "theme")

    def test_renamed_label_is_shown(self, loaded):
        changed = copy.deepcopy(corpus()[9])
        changed["themes"] = [term("housing", "Housing and homelessness")]
        loaded.index_documents([changed])
        theme = [v for v in loaded.search(request()).facets["theme"] if v.value == "housing"]
        assert theme[0].label == "Housing and homelessness"
        assert 110 in ids(loaded.search(request("homelessness")))

    def test_delete(self, loaded):
        loaded.delete([110, 999999])
        response = loaded.search(request())
        assert response.total == len(corpus()) - 1
        assert ids(loaded.search(request("overcrowding"))) == []
        assert "housing" not in counts(response, "theme")

    def test_rebuild_replaces_everything(self, loaded):
        assert loaded.rebuild(corpus()[:3]) == 3
        assert loaded.search(request()).total == 3
        assert ids(loaded.search(request("overcrowding"))) == []

    def test_check_reports_no_drift_after_rebuild(self, loaded):
        report = loaded.check(corpus())
        assert not report.drift
        assert (report.indexed, report.expected) == (len(corpus()), len(corpus()))

    def test_check_reports_drift(self, loaded):
        documents = corpus()
        documents[0]["title"] = "Changed since indexing"
        documents = documents[1:] + [documents[0]]  # order does not matter
        removed = documents.pop(0)  # 102 is indexed but no longer published
        documents.append(doc(160, "Published but never indexed", "news"))
        report = loaded.check(documents)
        assert report.drift
        assert report.stale == [101]
        assert report.orphaned == [removed["id"]]
        assert report.missing == [160]


class SharedRulesContract:
    """search/policy.py's rules, followed by every engine: a rule changed there changes every
    engine at once, and an engine that restated or ignored a rule fails here.

    Mixed into EngineContract; each test loads its own small corpus.
    """

    def test_type_prior_orders_pages_with_the_same_text(self, engine):
        types = list(policy.TYPE_BOOST)
        engine.rebuild(
            [
                doc(300 + n, "Kangaroo care", type_key, summary="Kangaroo care for newborns.")
                for n, type_key in enumerate(types)
            ]
        )
        hits = engine.search(request("kangaroo")).hits
        assert [hit.type_key for hit in hits] == sorted(types, key=policy.type_boost, reverse=True)

    def test_a_query_naming_a_kind_of_page_raises_that_kind(self, engine):
        # Same text: the higher prior first, unless the query names the other kind
        # (search/wanted_types.txt), whose prior is then raised by policy.WANTED_TYPE_BOOST.
        assert (
            policy.type_boost("evidence_summary") * policy.WANTED_TYPE_BOOST
            > policy.type_boost("case_study")
            > policy.type_boost("evidence_summary")
        )
        engine.rebuild(
            [
                doc(305, "Kangaroo care", "evidence_summary", summary="Kangaroo care for babies."),
                doc(306, "Kangaroo care", "case_study", summary="Kangaroo care for babies."),
            ]
        )
        assert ids(engine.search(request("kangaroo care"))) == [306, 305]
        assert ids(engine.search(request("kangaroo care evidence"))) == [305, 306]

    def test_a_synonym_phrase_the_stemmers_disagree_on_still_matches(self, engine):
        # "emergency" is "emergenc" to PyStemmer and "emerg" to Lucene's porter2: the
        # synonym "accident and emergency" of "A&E" (search/synonyms.txt) must still find
        # the page that says it, on every engine.
        engine.rebuild(
            [
                doc(
                    318, "Frequent attenders", "resource", summary="Seen in accident and emergency."
                ),
                doc(319, "Filler", "resource", summary="Nothing."),
            ]
        )
        assert ids(engine.search(request("A&E"))) == [318]

    def test_field_weights_order_title_summary_body_then_labels(self, engine):
        # A page's own words outrank its labels: the page that only carries "Zephyr" as a
        # topic label comes after the one whose body says it, though the label field weighs
        # more (it still makes the page findable).
        weights = policy.FIELD_WEIGHTS
        assert list(weights) == sorted(weights, key=weights.get, reverse=True)
        engine.rebuild(
            [
                doc(311, "Zephyr", "resource", summary="Blankets", body="Cots"),
                doc(312, "Blankets", "resource", summary="Zephyr", body="Cots"),
                doc(313, "Blankets", "resource", summary="Cots", themes=[("z", "Zephyr")]),
                doc(314, "Blankets", "resource", summary="Cots", body="Zephyr"),
            ]
        )
        assert ids(engine.search(request("zephyr"))) == [311, 312, 314, 313]

    def test_shortest_corrected_word(self, engine):
        engine.rebuild([doc(321, "Soap and a tap", "resource", summary="Soap by the tap.")])
        shortest = "soab"  # one edit from "soap"
        assert len(shortest) == policy.MIN_CORRECTED_LENGTH
        assert engine.search(request(shortest)).suggestion == "soap"
        shorter = "tep"  # one edit from "tap"
        assert len(shorter) == policy.MIN_CORRECTED_LENGTH - 1
        assert engine.search(request(shorter)).suggestion is None

    def test_edit_distance_limit_grows_with_the_word(self, engine):
        engine.rebuild([doc(331, "Nappy and cradle", "resource", summary="A nappy, a cradle.")])
        five, six = "nxapp", "cxradl"  # two edits from "nappy" and from "cradle"
        assert (policy.edit_limit(five), policy.edit_limit(six)) == (1, 2)
        assert policy.edit_distance(five, "nappy", 2) == policy.edit_distance(six, "cradle", 2) == 2
        assert engine.search(request(five)).suggestion is None
        assert engine.search(request(six)).suggestion == "cradle"
        # Two edits that change the first letter are not a correction.
        assert policy.edit_distance("xcradl", "cradle", 2) == 2
        assert engine.search(request("xcradl")).suggestion is None

    @staticmethod
    def _partial_corpus(full):
        words = ["kangaroo", "lullaby", "hammock"]
        documents = [
            doc(340 + n, f"Page {n}", "resource", summary=" ".join(words)) for n in range(full)
        ]
        documents.append(doc(349, "Partial page", "resource", summary=" ".join(words[:-1])))
        return words, documents

    def test_partial_page_follows_the_full_ones_without_a_notice(self, engine):
        words, documents = self._partial_corpus(full=3)
        engine.rebuild(documents)
        response = engine.search(request(" ".join(words)))
        assert (response.total, response.exact_total) == (4, 3)
        assert ids(response)[-1] == 349
        assert response.warnings == []

    def test_partial_pages_alone_carry_the_notice(self, engine):
        words, documents = self._partial_corpus(full=0)
        engine.rebuild(documents)
        response = engine.search(request(" ".join(words)))
        assert (ids(response), response.exact_total) == ([349], 0)
        assert response.warnings == [policy.best_match_notice(words[:-1])]

    # --- best match (policy.required_concepts, the stop words, the tiers) ---

    @staticmethod
    def _question_corpus():
        return [
            doc(
                361,
                "Quokka walks for new parents",
                "case_study",
                summary="Midwives lead quokka walks so new parents get outdoors with pushchairs.",
                body="The walks run weekly from children's centres in the borough.",
            ),
            doc(
                362,
                "Pushchair loans",
                "resource",
                summary="A charity lends pushchairs to parents.",
            ),
            doc(363, "Borough annual report", "resource", summary="The borough's year."),
        ]

    def test_question_words_and_fillers_never_count_against_a_page(self, engine):
        engine.rebuild(self._question_corpus())
        response = engine.search(request("does anyone actually run quokka walks"))
        # "does", "anyone", "actually" are stop words; "run" is on the page too.
        assert ids(response)[:1] == [361]
        assert response.warnings == []

    def test_a_long_question_finds_the_page_matching_most_of_its_words(self, engine):
        engine.rebuild(self._question_corpus())
        query = (
            "our midwives want new parents in the borough to get outdoors more, "
            "has anyone tried weekly walks with pushchairs from children's centres"
        )
        response = engine.search(request(query))
        assert ids(response)[:1] == [361]
        assert response.total >= 1

    def test_a_query_of_stop_words_only_still_searches_them(self, engine):
        engine.rebuild([doc(371, "Who we are", "resource", summary="About us.")])
        assert ids(engine.search(request("who are we"))) == [371]

    def test_never_silently_empty_when_some_words_match(self, engine):
        engine.rebuild(self._question_corpus())
        # Five counted concepts, of which the page holds two: below the threshold of three.
        response = engine.search(request("quokka pushchairs zanzibar marmalade trombone"))
        assert response.total >= 1
        assert response.exact_total == 0
        [notice] = response.warnings
        assert notice.startswith(policy.PARTIAL_NOTICE) and "quokka" in notice

    def test_too_few_at_the_threshold_are_followed_by_the_best_partial_matches(self, engine):
        # Five counted concepts need three (policy.required_concepts); one page has three, two
        # pages two. One page is not all a search shows (policy.FEW_MATCHES).
        fillers = [doc(410 + n, f"Filler {n}", "resource", summary="Nothing.") for n in range(9)]
        engine.rebuild(
            [
                doc(401, "Quokka wombat numbat", "resource", summary="Quokka, wombat, numbat."),
                doc(402, "Quokka wombat", "resource", summary="Quokka and wombat."),
                doc(403, "Bilby dingo", "resource", summary="Bilby and dingo."),
                *fillers,
            ]
        )
        response = engine.search(request("quokka wombat numbat bilby dingo"))
        assert (response.total, response.exact_total) == (3, 0)
        assert ids(response)[0] == 401 and set(ids(response)) == {401, 402, 403}
        assert response.warnings == [policy.best_match_notice(["quokka", "wombat", "numbat"])]

    def test_a_partial_match_on_a_rare_word_outranks_one_on_more_frequent_words(self, engine):
        # No page holds all five concepts; two meet the threshold of three. One holds "Quokka",
        # which one page of 30 has, with "bilby" and "dingo"; the other holds "wombat" and
        # "numbat", which nine pages have each, with "bilby" and "dingo". A rare word tells
        # pages apart more than two frequent ones (BM25's idf), so the quokka page comes first:
        # partial matches are ranked by text score, not by how many concepts they hold.
        assert not policy.is_common(9, 30)
        documents = [
            # Neither says two of the words in the order typed (no pair boost).
            doc(451, "Dingo quokka bilby", "resource", summary="Notes."),
            doc(452, "Dingo wombat bilby numbat", "resource", summary="Notes."),
        ]
        documents += [
            doc(453 + n, "Wombat" if n < 8 else "Numbat", "resource", summary="Notes.")
            for n in range(16)
        ]
        documents += [doc(470 + n, "Filler", "resource", summary="Notes.") for n in range(12)]
        engine.rebuild(documents)
        response = engine.search(request("quokka wombat numbat bilby dingo"))
        assert response.exact_total == 0
        assert ids(response)[:2] == [451, 452]

    def test_fewer_than_a_page_at_the_threshold_are_followed_by_partial_matches(self, engine):
        # Three pages hold three of the five concepts (the threshold); a page holding two is
        # listed after them all the same: fewer pages reach the threshold than a page of
        # results shows (policy.FEW_MATCHES).
        assert policy.FEW_MATCHES > 3
        fillers = [doc(490 + n, f"Filler {n}", "resource", summary="Nothing.") for n in range(9)]
        engine.rebuild(
            [
                *(
                    doc(481 + n, "Quokka wombat numbat", "resource", summary="Quokka.")
                    for n in range(3)
                ),
                doc(484, "Bilby dingo", "resource", summary="Bilby and dingo."),
                *fillers,
            ]
        )
        response = engine.search(request("quokka wombat numbat bilby dingo"))
        assert (response.total, response.exact_total) == (4, 0)
        assert set(ids(response)) == {481, 482, 483, 484}

    def test_partial_matches_meeting_the_threshold_come_before_those_filling_the_page(self, engine):
        # Five concepts need three (policy.required_concepts). The page holding three of them,
        # in a long body, comes before the page holding two in its title, though the title
        # scores more: the pages filling the page (policy.FEW_MATCHES) follow those that met
        # the threshold.
        filler_text = " ".join(["notes"] * 60)
        fillers = [doc(520 + n, f"Filler {n}", "resource", summary="Nothing.") for n in range(9)]
        engine.rebuild(
            [
                doc(511, "Report", "resource", body=f"{filler_text} quokka wombat numbat"),
                doc(512, "Bilby dingo", "case_study", summary="Bilby and dingo."),
                *fillers,
            ]
        )
        response = engine.search(request("quokka wombat numbat bilby dingo"))
        assert ids(response) == [511, 512]

    def test_a_long_query_ranks_its_words_typed_together_higher(self, engine):
        # Both pages hold every word, equally often; the second says "pushchair walks" and
        # "parents outdoors" as typed (policy.PAIR_BOOSTS_FROM), the first has them apart.
        fillers = [doc(430 + n, f"Filler {n}", "resource", summary="Nothing.") for n in range(8)]
        engine.rebuild(
            [
                *fillers,
                doc(
                    421,
                    "Marmot trail",
                    "resource",
                    summary="Walks on the marmot trail: pushchair hire, parents, outdoors.",
                ),
                doc(
                    422,
                    "Marmot trail",
                    "resource",
                    summary="Pushchair walks get parents outdoors on the marmot trail.",
                ),
            ]
        )
        response = engine.search(request("marmot pushchair walks so parents outdoors"))
        assert ids(response) == [422, 421]

    def test_spelling_leaves_correct_english_alone(self, engine):
        # "analyst" is not on any page here but is a dictionary word, one edit from "analyse";
        # "whole" is on the page, one edit from the typed "while".
        engine.rebuild(
            [
                doc(
                    381,
                    "Analyse the whole picture",
                    "resource",
                    summary="How to analyse public health data on smoking in pregnancy.",
                )
            ]
        )
        for typed in ("public health analyst", "smoking while pregnant"):
            response = engine.search(request(typed))
            assert (response.suggestion, response.corrected_from) == (None, None), typed
            assert ids(response) == [381], typed

    def test_a_correction_is_offered_only_when_it_finds_more(self, engine):
        engine.rebuild(
            [
                doc(391, "Cradle cards", "resource", summary="Cradle cards for parents."),
                doc(392, "Nappy bins", "resource", summary="Nappy bins and cradle cards."),
            ]
        )
        found = engine.search(request("cradle cardz"))  # "cards" finds both pages fully
        assert found.suggestion == "cradle cards"

    def test_title_sort_uses_the_shared_key(self, engine):
        titles = ["The Zoo visit", "apple pressing", "Ésprit de corps", '"Quoted" title', "Bath"]
        engine.rebuild([doc(351 + n, t, "resource") for n, t in enumerate(titles)])
        response = engine.search(request(sort="title"))
        assert [hit.title for hit in response.hits] == sorted(titles, key=policy.title_key)

    def test_newest_sort_uses_the_shared_key(self, engine):
        documents = [
            doc(361, "Dated", "news", date="2010-05-01", year=2010),
            doc(362, "Year only", "resource", year=2010),
            doc(363, "Older", "resource", year=2009),
            doc(364, "Undated", "resource"),
        ]
        engine.rebuild(documents)
        keys = [policy.sort_date(d) for d in documents]
        assert keys == ["2010-05-01", "2010", "2009", None]  # newest first, undated last
        assert ids(engine.search(request(sort="newest"))) == [361, 362, 363, 364]

    def test_facet_values_are_listed_in_the_shared_order(self, loaded):
        for filters in ({}, {"theme": ["breastfeeding"]}, {"type": ["resource", "news"]}):
            response = loaded.search(request(**filters))
            for facet in FACETS:
                listed = response.facets[facet.name]
                assert listed == sorted(listed, key=policy.facet_value_order), facet.name

    def test_unknown_value_notice_is_the_shared_text(self, loaded):
        response = loaded.search(request(theme=["housing", "no-such-theme"]))
        assert response.warnings == [policy.unknown_value_notice("Theme", "no-such-theme")]

    def test_drift_uses_the_shared_checksum(self, loaded):
        reordered = [dict(reversed(list(d.items()))) for d in corpus()]  # same content
        assert not loaded.check(reordered).drift
        changed = corpus()
        changed[3]["url"] = "/moved/"  # a field no search reads: only the checksum sees it
        assert policy.checksum(changed[3]) != policy.checksum(corpus()[3])
        assert loaded.check(changed).stale == [104]


class EngineContract(_BehaviourContract, SharedRulesContract):
    """Everything an engine must pass: behaviour and the shared rules."""

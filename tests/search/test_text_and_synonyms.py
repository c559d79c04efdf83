"""How queries are tokenised, stemmed and expanded: the words the engine actually looks for."""

import pytest

from search.engines.embedded.fts import translate
from search.query.plan import QueryPlan, plan_query
from search.query.snippets import snippet
from search.synonyms import (
    SYNONYMS_FILE,
    Concept,
    build_thesaurus,
    parse_synonyms,
)
from search.text import scan, stems, tokens, words

FILE_GROUPS = parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8"))
THESAURUS = build_thesaurus(
    FILE_GROUPS,
    [("NPEU", "National Perinatal Epidemiology Unit"), ("R&M", "Routine and manual")],
)


def concepts(query):
    return [
        (" ".join(c.typed), sorted(" ".join(p) for p in c.alternatives))
        for c in THESAURUS.concepts(query)
    ]


def test_words_are_folded_and_split_on_punctuation():
    assert words("Café-based ‘Smoke-Free’ homes, 2009!") == [
        "cafe",
        "based",
        "smoke",
        "free",
        "homes",
        "2009",
    ]


def test_stemming_joins_word_forms():
    assert stems("obese obesity") == ["obes", "obes"]
    assert stems("Fathers fathering father") == ["father", "father", "father"]
    assert stems("breastfeeding breastfed") == ["breastfeed", "breastf"]


def test_token_offsets_point_into_the_text():
    text = "Young dads’ group"
    assert [(t.word, text[t.start : t.end]) for t in tokens(text)] == [
        ("young", "Young"),
        ("dads", "dads"),
        ("group", "group"),
    ]


def test_scan_gives_the_stems_and_spans_tokens_give():
    """Snippets use scan (no Token per word); it must agree with tokens, also where folding
    changes the length ("ß" becomes "ss") and where accents are stripped."""
    for text in ["Young dads’ group, 2009", "Straße café naïve Ｆｕｌｌ-width", ""]:
        scanned, found = scan(text), tokens(text)
        assert scanned.stems == [t.stem for t in found]
        assert scanned.word_count == len(found)
        assert scanned.spans(1, 3) == [(t.start, t.end) for t in found[1:3]]


def test_scan_with_the_indexed_stems_agrees_with_tokens():
    """The index's stored stems stand in for stemming again only where offsets line up."""
    for text in [
        "Young dads’ group – “safer sleep”…",
        "Brand™ advice",
        "Straße café naïve Ωmega…",
        "½ of mothers",
        "q\u0303uiet",  # a combining mark NFC cannot compose: folding joins the word
    ]:
        found = tokens(text)
        indexed = " ".join(stems(text))
        scanned = scan(text, indexed)
        assert scanned.stems == [t.stem for t in found], text
        assert scanned.spans(0, len(found)) == [(t.start, t.end) for t in found], text


def test_spans_deep_into_a_long_text_are_the_tokens_spans():
    """A snippet late in a long body skips the words before it in runs (search.text): the
    spans must still be exactly the tokens' own, across separators, underscores, digits and
    accents, whatever the number of words skipped."""
    unit = "Safer_sleep, café 2009 -- “mums”… x"
    text = " ".join(f"{unit} w{n}" for n in range(300))  # about 2,400 words
    found = tokens(text)
    scanned = scan(text, " ".join(stems(text)))
    for start in (0, 1, 15, 16, 17, 127, 128, 1023, 1024, 1025, 2000, len(found) - 3):
        expected = [(t.start, t.end) for t in found[start : start + 32]]
        assert scanned.spans(start, start + 32) == expected, start


def test_snippet_marks_overlapping_synonym_phrases_and_typed_words_alone():
    """Marks are the typed stems anywhere and each synonym phrase whole, also when two
    phrases overlap; the passage shown is the one with the most marks."""

    plan = plan_query("young fathers", THESAURUS)
    text = "A group for teenage dads. Young fathers and older fathers meet weekly."
    marked = snippet([text], plan)
    assert marked == (
        "A group for <mark>teenage dads</mark>. <mark>Young fathers</mark> and older "
        "<mark>fathers</mark> meet weekly."
    )
    overlapping = QueryPlan(
        text="a b",
        concepts=(Concept(typed=("zz",), alternatives=(("x", "y"), ("y", "z")), words=("zz",)),),
    )
    assert snippet(["w x y z w"], overlapping) == "w <mark>x y z</mark> w"
    assert snippet(["w y w"], overlapping) == "w y w"


def test_synonyms_file_is_parsed_with_comments():
    assert FILE_GROUPS[0][:3] == ["cot death", "SUDI", "sudden unexpected death in infancy"]
    assert all(len(group) >= 2 for group in FILE_GROUPS)
    assert not any(phrase.startswith("#") for group in FILE_GROUPS for phrase in group)


def test_cot_death_expands_to_sudi_and_the_full_phrase():
    [(typed, alternatives)] = concepts("cot death")
    assert typed == "cot death"
    assert "sudi" in alternatives
    assert "sudden unexpect death in infanc" in alternatives


def test_acronym_expands_both_ways():
    assert "black and minor ethnic" in concepts("BME")[0][1]
    assert "bme" in concepts("black and minority ethnic")[0][1]
    assert concepts("NPEU") == [("npeu", ["nation perinat epidemiolog unit"])]


def test_longest_phrase_wins_and_other_words_stay_separate():
    assert concepts("young dads support") == [
        ("young dad", ["teenag dad", "teenag father", "young father"]),
        ("support", []),
    ]


def test_spacing_and_hyphen_variants():
    assert "smoke free" in concepts("smokefree")[0][1]
    assert "smokefre" in concepts("smoke-free")[0][1]
    assert "breastfeed" in concepts("breast feeding")[0][1]
    assert "passiv smoke" in concepts("second-hand smoke")[0][1]


def test_fts_expression_quotes_every_term():
    # "or" is a stop word: not matched, but still in the phrase boost.
    plan = translate(plan_query('young dads "OR" NEAR(', THESAURUS))
    assert plan.match == (
        '((("young" AND "dad") OR "young father" OR "teenag father" OR "teenag dad") '
        'AND "near") OR "young dad or near" OR title : "young dad or near"'
    )
    assert plan.any_match.startswith('((("young" AND "dad") OR "young father"')
    assert plan.own_text_matches[1] == '{title summary body} : ("near")'
    assert plan_query("🙂 ***", THESAURUS).matches_nothing


def test_acronyms_are_known_words_so_never_spell_corrected():
    assert {"npeu", "sudi", "fsid", "bme", "r", "m"} <= THESAURUS.acronyms
    assert THESAURUS.acronyms <= THESAURUS.known_words
    # A glossary entry that makes no synonym group still protects its acronym.
    lone = build_thesaurus([], [("XQWZ", ""), ("ABCD", "ABCD")])
    assert lone.groups == []
    assert {"xqwz", "abcd"} <= lone.acronyms <= lone.known_words


def test_snippet_escapes_and_marks_phrases():
    plan = plan_query("cot death", THESAURUS)
    html = snippet(["<b>Sudden unexpected death in infancy</b> & more"], plan)
    assert html.startswith("&lt;b&gt;<mark>Sudden unexpected death in infancy</mark>&lt;/b&gt;")
    assert "&amp; more" in html


def test_stop_words_do_not_count_and_longer_queries_need_a_share():
    plan = plan_query("does the family nurse partnership actually work", THESAURUS)
    counted = [" ".join(c.words) for c in plan.meaningful]
    assert counted == ["family", "nurse", "partnership", "work"]
    assert (plan.required, plan.partial) == (3, True)
    long = plan_query("genetic services cousin marriage Pakistani families Birmingham", THESAURUS)
    assert (len(long.counted), long.required) == (6, 4)
    only_stop_words = plan_query("who are we", THESAURUS)
    assert len(only_stop_words.counted) == 3  # searched all the same
    # One concept (a synonym phrase of two words) has nothing to leave out.
    assert not plan_query("young dads", THESAURUS).partial


def test_a_stop_word_typed_in_capitals_is_an_acronym_and_counts():
    def counted(query):
        return [" ".join(c.words) for c in plan_query(query, THESAURUS).meaningful]

    assert counted("is it safe to use a sling") == ["safe", "sling"]
    assert counted("IT skills for young parents") == ["it", "skills", "young parents"]
    assert counted("US evidence on home visiting") == ["us", "evidence", "home", "visiting"]
    assert counted("tell us about home visiting") == ["home", "visiting"]


def test_a_word_typed_twice_counts_once():
    plan = plan_query("use of services by women who do not use services", THESAURUS)
    assert [" ".join(c.words) for c in plan.meaningful] == ["services", "women"]
    assert plan.required == 1


def test_a_long_query_boosts_its_adjacent_pairs_of_meaningful_words():
    plan = plan_query("how do I get more pregnant women to quit smoking", THESAURUS)
    assert plan.pairs == ()  # four meaningful words: the whole typed phrase is the boost
    plan = plan_query(
        "we are seeing more babies with genetic conditions, pregnant women quit smoking late",
        THESAURUS,
    )
    assert [words for _stems, words in plan.pairs] == [
        ("genetic", "conditions"),  # a stop word ("with") breaks a pair
        ("conditions", "pregnant"),  # punctuation does not
        ("pregnant", "women"),
        ("women", "quit"),
        ("quit", "smoking"),
        ("smoking", "late"),
    ]
    assert plan.pairs[0][0] == ("genet", "condit")
    # The pairs are phrases added to the ranking expressions, never to what selects pages.
    query = translate(plan)
    assert '"genet condit"' in query.any_match and '"genet condit"' in query.match
    assert '"genet condit"' not in query.filter_match
    assert not query.match_selects_full
    assert plan.loosened().pairs == plan.pairs


def test_concepts_no_page_holds_or_most_pages_hold_stop_counting():
    plan = plan_query("overcrowding zebras housing", THESAURUS)
    counting = plan.counting([3, 0, 90], pages=100)
    assert [" ".join(c.words) for c in counting.meaningful] == ["overcrowding"]
    assert (counting.required, counting.absent) == (1, (1,))
    assert plan.counting([3, 4, 5], pages=100) is plan


# --- wording rules: one tokenisation test each (what a query becomes) -------------------------


def alternatives_of(query):
    """Every way the single concept of `query` may be written, as stems."""
    [concept] = THESAURUS.concepts(query)
    return {" ".join(concept.typed), *(" ".join(p) for p in concept.alternatives)}


def test_comparatives_and_superlatives():
    assert stems("safe safer safest") == ["safe", "safer", "safest"]  # the stemmer keeps them
    for word in ("safe", "safer", "safest"):
        assert alternatives_of(word) == {"safe", "safer", "safest"}
    assert [c.typed for c in THESAURUS.concepts("safe sleep")] == [("safe",), ("sleep",)]


def test_teen_and_teenage():
    assert stems("teen teenage teenagers") == ["teen", "teenag", "teenag"]
    assert alternatives_of("teen") == {"teen", "teenag"}
    assert alternatives_of("teenager") == {"teen", "teenag"}


def test_mum_mother_dad_father():
    assert alternatives_of("mums") == {"mum", "mother"}
    assert alternatives_of("mother") == {"mum", "mother"}
    assert alternatives_of("dads") == {"dad", "father"}
    assert alternatives_of("fathers") == {"dad", "father"}


def test_infant_deaths_and_infant_mortality():
    assert alternatives_of("infant deaths") == {"infant death", "infant mortal", "babi death"}
    assert alternatives_of("baby deaths") == {"infant death", "babi death"}
    assert alternatives_of("infant mortality") == {"infant death", "infant mortal"}
    # "sudden infant death" stays the longer SUDI phrase.
    assert "sudi" in alternatives_of("sudden infant death")


def test_high_bmi_and_obesity():
    assert alternatives_of("high BMI") == {"high bmi", "obes", "overweight"}
    assert "high bmi" in alternatives_of("obesity")


def test_nrt_and_co_monitoring():
    assert alternatives_of("NRT") == {"nrt", "nicotin replac therapi"}
    assert "nrt" in alternatives_of("nicotine replacement therapy")
    assert "nrt" in THESAURUS.acronyms
    co = alternatives_of("CO monitoring")
    assert {"co monitor", "carbon monoxid monitor", "co test"} <= co
    assert "co monitor" in alternatives_of("carbon monoxide monitoring")
    # "CO" alone is no synonym: "co-ordinated" and "co-sleeping" must not match carbon monoxide.
    assert alternatives_of("co") == {"co"}
    assert "bed share" in alternatives_of("co-sleeping")


def test_uk_and_us_spellings():
    for uk, us in [
        ("programme", "program"),
        ("paediatric", "pediatric"),
        ("paediatrician", "pediatrician"),
        ("foetus", "fetus"),
        ("foetal", "fetal"),
        ("anaemia", "anemia"),
        ("organisation", "organization"),
        ("behaviour", "behavior"),
        ("immunisation", "immunization"),
    ]:
        assert stems(uk) != stems(us), uk  # the stemmer alone does not join them
        assert alternatives_of(us) == alternatives_of(uk), uk
        assert " ".join(stems(uk)) in alternatives_of(us)


def test_hyphenated_spaced_and_joined_forms():
    assert words("multi-agency") == ["multi", "agency"]
    forms = {"multi-agency", "multiagency", "multi agency", "Multi-Agency"}
    assert {frozenset(alternatives_of(form)) for form in forms} == {
        frozenset({"multi agenc", "multiag"})
    }
    assert alternatives_of("co-ordination") == alternatives_of("coordination")
    assert alternatives_of("well-being") == alternatives_of("wellbeing")
    assert alternatives_of("post-natal") == alternatives_of("postnatal")


def test_acronyms_in_the_file_are_never_spell_corrected_words():
    assert {"nrt", "sudi", "fsid", "bme"} <= THESAURUS.known_words


def test_parser_refuses_a_malformed_line():
    import pytest

    from search.synonyms import SynonymsFileError

    assert parse_synonyms("# comment\nsafe, safer  # why\n\n") == [["safe", "safer"]]
    for bad in ("lonely", "safe,, safer", "safe, ", ", safe", "safe, ---"):
        with pytest.raises(SynonymsFileError, match="line 2"):
            parse_synonyms(f"a, b\n{bad}\n")


@pytest.mark.parametrize(
    "typed, written",
    [
        ("LARC", "long act revers contracept"),
        ("SATOD", "smoke at deliveri"),
        ("CAMHS", "child and adolesc mental health servic"),
        ("PGD", "patient group direct"),
        ("JSNA", "joint strateg need assess"),
        ("baby blues", "postnat depress"),
        ("mums-to-be", "pregnant"),
        ("looked after children", "children in care"),
        ("repeat pregnancy", "second concept"),
        ("Maternity Voices Partnership", "matern servic liaison committe"),
        ("troubled families", "famili intervent project"),
        # Birth outcomes, deaths, and the bodies named by acronym or a newer name.
        ("LBW", "low birthweight"),
        ("low birth weight", "low birthweight"),
        ("premature", "preterm"),
        ("stillborn", "stillbirth"),
        ("birth defects", "congenit anomali"),
        ("NICU", "neonat unit"),
        ("maternal mortality", "matern death"),
        ("child mortality", "child death"),
        ("crib death", "cot death"),
        ("family doctor", "gp"),
        ("GP surgery", "gp practic"),
        ("A&E", "accid and emergenc"),
        ("casualty", "accid and emergenc"),
        ("DoH", "depart of health"),
        ("DHSC", "depart of health"),
        ("DCSF", "depart for children school and famili"),
        ("public service agreement", "psa"),
        ("CEMACH", "centr for matern and child enquiri"),
        ("DPH", "director of public health"),
        ("early help assessment", "common assess framework"),
        ("council", "local author"),
        ("voluntary sector", "third sector"),
        ("housing association", "regist social landlord"),
        ("job centre", "jobcentr"),
        ("health care", "healthcar"),
        # Pregnancy, feeding, sexual health, families' circumstances and evidence.
        ("first antenatal appointment", "book"),
        ("antenatal classes", "antenat educ"),
        ("postpartum", "postnat"),
        ("PND", "postnat depress"),
        ("settee", "sofa"),
        ("asleep", "sleep"),
        ("breastfed", "breastfeed"),
        ("introducing solids", "wean"),
        ("breastfeeding buddies", "breastfeed peer support"),
        ("BFI", "babi friend initi"),
        ("fruit and veg", "fruit and veget"),
        ("exercise", "physic activ"),
        ("SSS", "stop smoke servic"),
        ("birth control", "contracept"),
        ("RSE", "sex and relationship educ"),
        ("sex education", "sre"),
        ("adolescent pregnancy", "teenag pregnanc"),
        ("unemployment", "workless"),
        ("ASB", "anti social behaviour"),
        ("antisocial behaviour", "anti social behaviour"),
        ("DV", "domest violenc"),
        ("substance abuse", "substanc misus"),
        ("poor", "poorer"),
        ("seldom heard", "hard to reach"),
        ("health disparities", "health inequ"),
        ("supported accommodation", "support hous"),
        ("English classes", "esol"),
        ("haemoglobinopathies", "inherit blood disord"),
        ("data sharing", "inform share"),
        ("LAA", "local area agreement"),
        ("stats", "statist"),
        ("guidelines", "guidanc"),
        ("kids", "children"),
        ("LAC", "look after children"),
        # Later names, practitioners' acronyms and lay words for the report's own.
        ("U18 conceptions", "under 18 concept"),
        ("HV", "health visitor"),
        ("LARC", "long act method"),
        ("expectant mums", "pregnant"),
        ("MSLC", "matern servic liaison committe"),
        ("safeguarding partnership", "local safeguard children board"),
        ("child safeguarding practice review", "serious case review"),
        ("DCLG", "depart for communiti and local govern"),
        ("CYP", "children and young peopl"),
        ("child care", "childcar"),
        ("parenting classes", "parent educ"),
        ("best practice", "good practic"),
    ],
)
def test_jargon_and_lay_words_reach_the_reports_wording(typed, written):
    assert written in alternatives_of(typed)

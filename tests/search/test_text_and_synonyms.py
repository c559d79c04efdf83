"""How queries are tokenised, stemmed and expanded: the words the engine actually looks for."""

from search.engines.embedded import plan_query, snippet
from search.synonyms import (
    SYNONYMS_FILE,
    build_thesaurus,
    parse_synonyms,
)
from search.text import stems, tokens, words

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
    plan = plan_query('young dads "OR" NEAR(', THESAURUS)
    assert plan.match == (
        '((("young" AND "dad") OR "young father" OR "teenag father" OR "teenag dad") AND "or" '
        'AND "near") OR "young dad or near" OR title : "young dad or near"'
    )
    assert plan.relaxed_match.startswith('(("or" AND "near") OR ((("young" AND "dad") OR')
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


def test_long_queries_get_an_all_but_one_fallback():
    plan = plan_query("genetic services cousin marriage", THESAURUS)
    # three concepts (the synonym group joins "cousin marriage"), so three two-concept subsets
    assert len(plan.concepts) == 3
    assert plan.relaxed_match.count(" OR (") == 2
    assert plan_query("young dads", THESAURUS).relaxed_match is None

"""The cluster's analysis, live on OpenSearch (`_analyze`), in the manner of alphagov
search-api's stemming specs.

The cluster stems at index time with Lucene's Snowball English ("porter2"); the embedded engine
and the query-side synonym expansion stem with PyStemmer (search/text.py). These tests prove
the two agree on every word that matters: the specs below, every word of the synonyms file and
the glossary, and the acronyms, so a synonym phrase the query sends as stems always meets the
stems the index holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from search import text as textmod
from search.engines.cluster.mapping import INDEX_ANALYZER, SPELL_ANALYZER
from search.synonyms import SYNONYMS_FILE, build_thesaurus, parse_synonyms
from tests.search.contract import doc, request

from .backends import dispose, live_engine

# (typed, the stems the index must hold), as a practitioner types them.
STEMMING_SPECS = [
    ("fathers", ["father"]),
    ("fathering", ["father"]),
    ("mothers'", ["mother"]),
    ("h1n1 e-coli", ["h1n1", "e", "coli"]),
    ("co_operative", ["co", "oper"]),
    ("mother's", ["mother", "s"]),  # as search.text splits it
    ("smoking", ["smoke"]),
    ("smoker", ["smoker"]),
    ("breastfeeding", ["breastfeed"]),
    ("pregnancies", ["pregnanc"]),
    ("pregnant", ["pregnant"]),
    ("infancy", ["infanc"]),
    ("infants", ["infant"]),
    ("overcrowded", ["overcrowd"]),
    ("overcrowding", ["overcrowd"]),
    ("immunisation", ["immunis"]),
    ("Café Études", ["cafe", "etud"]),
    ("second-hand smoke", ["second", "hand", "smoke"]),
    ("16 year olds", ["16", "year", "old"]),
]


@pytest.fixture(scope="module")
def analysed(opensearch_url):
    engine = live_engine("opensearch", opensearch_url)
    engine.rebuild([doc(1, "Analysis", "resource")])

    def analyse(text, analyzer=INDEX_ANALYZER):
        return engine.dialect.analyze(engine.alias, analyzer, text)

    analyse.engine = engine
    yield analyse
    dispose(engine)


@pytest.fixture(scope="module")
def sources():
    """synonyms.txt and the glossary as load_content loads it (fixtures/glossary.yaml), read
    directly: no database, which transactional tests may have emptied before this runs."""
    from django.conf import settings

    groups = parse_synonyms(SYNONYMS_FILE.read_text(encoding="utf-8"))
    entries = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "glossary.yaml").read_text())
    glossary = [(entry["term"], entry.get("expansion") or "") for entry in entries]
    assert groups and glossary, "the synonyms file and the glossary both have entries"
    return groups, glossary


@pytest.mark.parametrize("typed, stems", STEMMING_SPECS)
def test_stemming_specs(analysed, typed, stems):
    assert analysed(typed) == stems
    assert textmod.stems(typed) == stems  # the embedded engine stems the same


# Lucene's English snowball and PyStemmer disagree on these words ("organization", "emergency":
# Lucene "emerg", PyStemmer "emergenc"; "gynaecologists"). Searches still agree: typed words
# and synonym phrases alike are sent to OpenSearch as words and stemmed by its own analyser
# (test_a_synonym_phrase_the_stemmers_disagree_on_still_matches, in the contract).
KNOWN_STEM_DIFFERENCES = {
    "organization",
    "accident and emergency",
    "emergency department",
    "Royal College of Obstetricians and Gynaecologists",
}


def test_every_synonym_and_glossary_word_stems_as_the_embedded_engine(analysed, sources):
    groups, glossary = sources
    phrases = [p for group in groups for p in group]
    phrases += [p for pair in glossary for p in pair if p]
    differing = {
        phrase: (analysed(phrase), textmod.stems(phrase))
        for phrase in phrases
        if analysed(phrase) != textmod.stems(phrase)
    }
    assert set(differing) == KNOWN_STEM_DIFFERENCES, differing
    assert len(phrases) > 100


def test_multi_word_synonyms_are_whole_phrases_of_index_stems(analysed, sources):
    thesaurus = build_thesaurus(*sources[:1], sources[1])
    multi_word = [phrase for group in thesaurus.groups for phrase in group if len(phrase) > 1]
    assert ("sudden", "unexpect", "death", "in", "infanc") in multi_word
    for phrase in multi_word:
        # The query sends each alternative as these stems, analysed without stemming again.
        assert tuple(analysed(" ".join(phrase), SPELL_ANALYZER)) == phrase


def test_acronyms_stay_one_token_and_are_never_corrected(analysed, sources):
    groups, glossary = sources
    thesaurus = build_thesaurus(groups, glossary)
    for acronym in sorted(thesaurus.acronyms):
        typed = acronym.upper()
        assert analysed(typed) == [textmod.stem(acronym)], typed
    # Only "CAMHS" and "SIDS" lose a letter to the stemmer, in both engines alike ("camh",
    # "sid"): no indexed word but the acronym itself stems to that.
    assert sorted(a for a in thesaurus.acronyms if textmod.stem(a) != a) == ["camhs", "sids"]
    engine = analysed.engine
    engine.rebuild([doc(2, "Bath time", "resource", summary="Soap suds and bath water.")])
    for acronym in sorted(thesaurus.acronyms):
        for typed in (acronym.upper(), acronym):
            response = engine.search(request(typed))
            assert (response.suggestion, response.corrected_from) == (None, None), typed


def test_folding_and_possessives(analysed):
    assert analysed("NAÏVE Mothers’ group") == ["naiv", "mother", "group"]
    assert analysed("NAÏVE Mothers’ group") == textmod.stems("NAÏVE Mothers’ group")
    assert analysed("naïve", SPELL_ANALYZER) == ["naive"]

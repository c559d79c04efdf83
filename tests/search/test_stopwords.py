"""The stop words file: words that carry no topic, refused line by line when malformed."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from search.relevance import load_judgements
from search.stopwords import (
    STOPWORDS_FILE,
    StopwordsFileError,
    get_stopwords,
    is_stopword,
    parse_stopwords,
)
from search.synonyms import SYNONYMS_FILE, parse_synonyms
from search.text import stem, words


def test_comments_blank_lines_and_case_are_ignored():
    text = "# question words\nhow\n\n  What  # and why\nDOES\n#actually\n"
    assert parse_stopwords(text) == {"how", "what", "does"}


@pytest.mark.parametrize(
    "bad",
    [
        "how to",  # two words
        "don't",  # the apostrophe splits it into "don" and "t"
        "well-being",
        "---",
        "a,b",
    ],
)
def test_a_line_that_is_not_one_word_is_refused_naming_the_line(bad):
    with pytest.raises(StopwordsFileError) as refused:
        parse_stopwords(f"# header\nhow\n{bad}\nwhy\n")
    assert str(refused.value) == (
        f"stop words line 3: {bad!r} is not one word (letters and digits only, one word per line)"
    )


def test_a_word_listed_twice_is_refused_naming_both_lines():
    with pytest.raises(StopwordsFileError) as refused:
        parse_stopwords("how\nwhat\n\nHow  # again\n")
    assert str(refused.value) == "stop words line 4: 'how' is already on line 1"


def test_the_shipped_list_parses_and_is_loaded_once():
    assert get_stopwords() == parse_stopwords(STOPWORDS_FILE.read_text(encoding="utf-8"))
    assert get_stopwords() is get_stopwords()


def test_the_fillers_of_practitioners_questions_are_stop_words():
    # The words issue 22 found emptying results, and the question words around them.
    for word in ("actually", "having", "hardly", "looking", "does", "we", "our", "how", "what"):
        assert is_stopword(word), word
    # "cannot" as "can" is; "what has to happen", "what happens when", "we are seeing".
    for word in ("cannot", "happen", "happens", "happened", "happening", "seeing"):
        assert is_stopword(word), word
    assert is_stopword("Does") and is_stopword("OUR")
    assert not is_stopword("smoking")


def test_words_that_carry_a_topic_here_are_not_stop_words():
    # Each is part of a name or a topic in the content (see the file's header).
    for word in ("area", "areas", "local", "best", "new", "first", "give", "another"):
        assert not is_stopword(word), word
    for word in ("may", "d", "looked", "need", "needs", "help", "support", "care", "work"):
        assert not is_stopword(word), word


def test_no_stop_word_is_a_one_word_synonym_or_a_glossary_term():
    """Synonyms and glossary terms are topics by definition. Inside a longer phrase a stop word
    is fine ("sudden unexpected death in infancy"): the phrase is matched as one concept."""
    glossary = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "glossary.yaml").read_text())
    phrases = [phrase for group in parse_synonyms(SYNONYMS_FILE.read_text()) for phrase in group]
    phrases += [entry["term"] for entry in glossary]
    single_words = {
        phrase_words[0] for phrase_words in map(words, phrases) if len(phrase_words) == 1
    }
    assert len(single_words) > 50
    assert single_words & get_stopwords() == set()
    # Nor one that stems like a stop word: "ONS" stems to "on", so every "on" typed would
    # have meant the Office for National Statistics.
    stop_stems = {stem(word) for word in get_stopwords()}
    assert {word for word in single_words if stem(word) in stop_stems} == set()


def test_no_judged_query_is_only_stop_words():
    for judgement in load_judgements():
        assert not all(is_stopword(word) for word in words(judgement.query)), judgement.query

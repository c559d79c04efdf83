"""The dictionary of correct English words (Debian's wbritish), which spelling must not correct."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from search import dictionary
from search.checks import word_list_installed
from search.dictionary import (
    DictionaryUnavailable,
    get_dictionary,
    is_known_word,
    load_word_list,
    parse_word_list,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "word",
    [
        # Issue 22: offered "whole" for "while" and "analyse" for "analyst".
        "while",
        "whole",
        "analyst",
        "analyse",
        "analysed",
        # British spellings, plurals and inflections, any case.
        "Analyst",
        "PROGRAMME",
        "paediatrician",
        "colour",
        "organisation",
        "midwives",
        "referrals",
        "pregnant",
        "smoking",
        "London",
    ],
)
def test_correct_english_words_are_known(word):
    assert is_known_word(word)


@pytest.mark.parametrize("word", ["pregancy", "smokign", "breastfeding", "overcrowdng", "", " "])
def test_typos_and_empty_words_are_not_known(word):
    assert not is_known_word(word)


def test_the_list_is_british():
    # "analyze" stays correctable to the site's own "analyse".
    assert is_known_word("analyse") and not is_known_word("analyze")


def test_parsing_folds_case_and_accents_and_leaves_out_possessives():
    text = "Analyst\nanalyst's\nBogotá\n\nwhile\n"
    assert parse_word_list(text) == {"analyst", "bogota", "while"}


def test_the_word_list_is_loaded_once():
    assert get_dictionary() is get_dictionary()
    assert len(get_dictionary()) > 50_000


def test_a_missing_word_list_is_a_clear_error(tmp_path):
    with pytest.raises(DictionaryUnavailable) as missing:
        load_word_list(tmp_path / "british-english")
    assert str(missing.value) == (
        f"the word list {tmp_path / 'british-english'} is missing: install Debian's wbritish "
        "(`make deps` does, or `apt-get install wbritish`)"
    )


def test_manage_py_check_fails_without_the_word_list(tmp_path, monkeypatch):
    assert word_list_installed() == []
    monkeypatch.setattr(dictionary, "WORD_LIST", tmp_path / "british-english")
    [error] = word_list_installed()
    assert error.id == "search.E001"
    assert "install Debian's wbritish" in error.msg
    with pytest.raises(SystemCheckError, match="search.E001"):
        call_command("check")


def test_make_installs_the_word_list_without_prompting():
    """`make deps` (so `make setup` and `make test`) installs wbritish when the list is missing."""
    dry_run = subprocess.run(
        ["make", "-n", "-B", str(dictionary.WORD_LIST)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wbritish" in dry_run
    deps = subprocess.run(
        ["make", "-p", "-n", "-q", "deps"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    [rule] = [line for line in deps.splitlines() if line.startswith("deps:")]
    assert str(dictionary.WORD_LIST) in rule

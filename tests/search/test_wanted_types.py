"""The wanted types file: words that name a kind of page, refused line by line when malformed."""

import pytest

from search.documents import TYPE_KEYS
from search.query.plan import plan_query
from search.synonyms import get_thesaurus
from search.wanted_types import (
    WantedTypesFileError,
    get_wanted_types,
    parse_wanted_types,
    wanted_types,
)


def test_comments_blank_lines_and_case_are_ignored():
    text = "# kinds\nresource: Guidance  leaflets # and more\n\ncase_study: worked\n"
    assert parse_wanted_types(text) == {
        "guidance": "resource",
        "leaflets": "resource",
        "worked": "case_study",
    }


@pytest.mark.parametrize(
    "bad, message",
    [
        ("resource guidance", "'resource guidance' is not `type_key: word word …`"),
        ("resource:", "'resource:' is not `type_key: word word …`"),
        ("Resource Type: guide", "'Resource Type: guide' is not `type_key: word word …`"),
        ("news: well-being", "'well-being' is not one word (letters and digits only)"),
        ("news: guidance", "'guidance' is already on line 2"),
        ("resource: dvd", "'resource' is already on line 2"),
    ],
)
def test_a_bad_line_is_refused_naming_the_line(bad, message):
    with pytest.raises(WantedTypesFileError) as refused:
        parse_wanted_types(f"# header\nresource: guidance\n{bad}\n")
    assert str(refused.value) == f"wanted types line 3: {message}"


def test_the_shipped_file_names_only_page_types():
    listed = get_wanted_types()
    assert set(listed.values()) <= set(TYPE_KEYS.values())
    assert {"resource", "case_study", "evidence_summary"} <= set(listed.values())


@pytest.mark.django_db
def test_the_plan_carries_the_kinds_a_query_names_in_the_order_typed():
    assert wanted_types("which guidelines should we follow") == ("resource",)
    assert wanted_types("what evidence is there for schemes that worked") == (
        "evidence_summary",
        "case_study",
    )
    assert wanted_types("work with housing services") == ()  # topics, not kinds of page
    plan = plan_query("breastfeeding guidance leaflets", get_thesaurus())
    assert plan.wanted_types == ("resource",)

"""The HTML source on its own: reading structure without a database or a server."""

import pytest

from importers.sources.html import parse, role_of
from importers.values import ContentError

NO_TAXONOMY = {"areas": [], "organisations": []}


def read(html, page_type="case_study"):
    return parse(html.encode(), page_type=page_type, taxonomy=NO_TAXONOMY)


def test_an_empty_logo_heading_is_not_the_title():
    page = read("<h1><img src=logo.png></h1><h1>The real title</h1><h2>Aims</h2><p>To help.</p>")
    assert page.title == "The real title" and page.fields["aims"] == "To help."


def test_a_labelled_line_starts_its_section():
    page = read("<h1>T</h1><p>Lead.</p><p>Contact: someone@example.org</p>")
    assert page.contacts == [{"email": "someone@example.org", "phone": ""}]
    assert page.fields["summary"] == "Lead."


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("Aims and objectives", "aims"),
        ("What was done", "what_was_done"),
        ("How it was implemented", "what_was_done"),
        ("Outcomes, results or key findings", "outcomes"),
        ("Key findings", "outcomes"),
        ("Evaluation", "evaluation"),
        ("Learning points", "learning"),
        ("Lessons learnt", "learning"),
        ("Contact details", "contacts"),
        ("Related links", None),
        ("Background", "aims"),  # why the project was needed: NICE and charity write-ups
        ("Related examples", None),
    ],
)
def test_headings_map_to_roles(heading, role):
    assert role_of(heading) == role


def test_a_title_over_255_characters_is_not_recognised():
    with pytest.raises(ContentError, match="no recognisable title"):
        read(f"<h1>{'word ' * 60}</h1><p>x</p>")


def test_javascript_links_and_handlers_never_reach_the_text():
    page = read(
        '<h1>T</h1><h2>Aims</h2><p onmouseover="steal()">Fine <a href="javascript:steal()">x</a>'
        "</p><script>steal()</script><style>p{}</style>"
    )
    assert page.fields["aims"] == "Fine x" and page.links == []

"""The heading rules file: its parser refuses bad lines by number, and the rules map the
headings NICE shared learning, the LGA template and the 2010 report use."""

import pytest

from importers.heading_rules import HeadingRulesError, load_rules, parse_rules


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("aims summary of the aims", "expected 'role: phrase | phrase'"),
        ("background: why we did it", "unknown role 'background'"),
        ("aims: aims || objectives", "an empty phrase"),
        ("aims: aims | [a-z]+ jobs", "uses characters a phrase may not"),
        ("aims: (aims | goals", "unbalanced brackets"),
    ],
)
def test_a_bad_line_is_refused_naming_the_line(line, message):
    with pytest.raises(HeadingRulesError) as refused:
        parse_rules(f"# a comment\n\n{line}\n", source="rules.txt")
    assert "rules.txt, line 3" in str(refused.value) and message in str(refused.value)


def test_a_role_given_twice_is_refused():
    with pytest.raises(HeadingRulesError, match="line 2: 'aims' has a rule already"):
        parse_rules("aims: aims\naims: goals\n")


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("How did you implement the project?", "what_was_done"),
        ("Reasons for implementing your project", "aims"),
        ("Key findings", "outcomes"),
        ("Key learning points", "learning"),
        ("Contact details", "contacts"),
        ("The challenge", "aims"),
        ("The solution", "what_was_done"),
        ("The impact", "outcomes"),
        ("How is the new approach being sustained?", "learning"),
        ("Lessons learned", "learning"),
        ("Aims and objectives", "aims"),
        ("What was done", "what_was_done"),
        ("Evaluation", "evaluation"),
        ("Related examples", None),
    ],
)
def test_the_shipped_rules_map_real_headings(heading, role):
    rules = load_rules()
    assert next((r for r, pattern in rules if pattern.search(heading)), None) == role

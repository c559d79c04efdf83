"""The kb_search and search_index commands, run as a user would."""

import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from search.engines import get_engine
from search.engines.base import SearchRequest
from search.facets import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_kb_search_json_is_the_api_shape(client):
    printed = json.loads(
        run("kb_search", "cot death", "--theme", "safeguarding-and-sudi", "--json")
    )
    api = client.get("/api/search/", {"q": "cot death", "theme": "safeguarding-and-sudi"}).json()
    assert printed == api


def test_kb_search_table(db):
    out = run("kb_search", "young dads", "--type", "case_study")
    assert "results (embedded engine), page 1 of 1" in out
    assert "1. Supporting Young Fathers in Newcastle" in out
    assert "*case_study (4)" in out


def test_kb_search_show_query_prints_the_sql(db):
    explained = json.loads(
        run("kb_search", "cot death", "--theme", "safeguarding-and-sudi", "--show-query")
    )
    assert '"sudi"' in explained["match"]
    assert explained["page_sql"].startswith(
        "SELECT fts.rowid FROM fts WHERE fts MATCH ? AND substr(?, fts.rowid + 1, 1) = x'31'"
    )
    assert explained["page_params"][0] == explained["match"]
    assert explained["facet_filters"] == {"theme": ["safeguarding-and-sudi"]}
    # The listed pages are the full matches the theme filter leaves, worked out beforehand.
    found = get_engine().search(
        SearchRequest.build("cot death", filters={"theme": ["safeguarding-and-sudi"]})
    )
    listed = json.loads(explained["page_params"][1])
    assert len(listed) == found.exact_total > 0
    assert {hit.id for hit in found.hits[: found.exact_total]} <= set(listed)


@pytest.mark.parametrize(
    "args, message",
    [
        (["x" * (MAX_QUERY_LENGTH + 1)], f"{MAX_QUERY_LENGTH} characters or fewer"),
        (["x", "--page", "two"], "whole number"),
        (["zzqxjwv", "--page", "2"], r"^Page must be between 1 and 1 for this search\.$"),
    ],
)
def test_kb_search_bad_input_is_one_line(db, args, message):
    with pytest.raises(CommandError, match=message):
        run("kb_search", *args)


def test_kb_search_bad_input_exits_non_zero_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "kb_search", "x", "--page", "0"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["CommandError: Page must be between 1 and 10000."]


@pytest.mark.parametrize("command", ["kb_search", "search_relevance"])
def test_unknown_engine_is_a_one_line_error(command):
    result = subprocess.run(
        [sys.executable, "manage.py", command, "--engine", "nope"],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert errors == [
        f"manage.py {command}: error: argument --engine: invalid choice: 'nope' "
        "(choose from 'embedded', 'opensearch', 'elasticsearch')"
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "No such file or directory"),
        ("query: a\n", "is not a list of judgements"),
        ("- [unclosed\n", "expected ',' or ']'"),
    ],
)
def test_an_unreadable_judgements_file_is_a_one_line_error(tmp_path, content, message):
    from django.core.management import CommandError, call_command

    path = tmp_path / "judgements.yaml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError) as refused:
        call_command("search_relevance", judgements=str(path))
    assert str(refused.value).startswith("cannot read the judgements: ")
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_check_reports_no_drift_after_rebuild(isolated_index):
    assert "No drift." in run("search_index", "check")


def test_check_exits_non_zero_on_drift_and_update_repairs_it(isolated_index):
    from kb.models import CaseStudyPage

    page = CaseStudyPage.objects.live().first()
    isolated_index.delete([page.pk])
    with pytest.raises(CommandError, match="drifted"):
        run("search_index", "check")
    assert "Indexed 1 missing and 0 changed pages" in run("search_index", "update")
    assert "No drift." in run("search_index", "check")


def test_check_finds_a_stale_page(isolated_index):
    from kb.models import ResourcePage

    page = ResourcePage.objects.live().first()
    ResourcePage.objects.filter(pk=page.pk).update(title="Retitled behind the index's back")
    out = __import__("io").StringIO()
    with pytest.raises(CommandError):
        call_command("search_index", "check", stdout=out)
    assert f"1 stale (indexed copy differs from the page): page ids {page.pk}" in out.getvalue()

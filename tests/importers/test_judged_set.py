"""The importer on the judged set of write-ups in tests/importers/pages/ (expected.yaml)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from importers.models import PageImport

pytestmark = pytest.mark.django_db
PAGES = Path(__file__).with_name("pages")


def test_the_importer_fills_at_least_90_percent_of_the_judged_fields():
    out = StringIO()
    call_command("import_html", "--score", str(PAGES), stdout=out)
    found = re.search(
        r"Fields filled correctly: (\d+) of (\d+) \((\d+)%\) on (\d+) pages", out.getvalue()
    )
    assert found, out.getvalue()
    correct, total, _share, pages = map(int, found.groups())
    assert pages >= 8 and correct / total >= 0.9, out.getvalue()
    assert not PageImport.objects.exists()  # scoring saves nothing


def test_scoring_a_directory_without_expectations_is_a_one_line_error(tmp_path):
    with pytest.raises(CommandError, match="no expected.yaml"):
        call_command("import_html", "--score", str(tmp_path))


def test_a_results_table_becomes_outcome_rows_and_its_text_is_kept(tmp_path):
    out = StringIO()
    call_command("import_html", str(PAGES / "nice_shared_learning_baby_cafe.html"), stdout=out)
    page = PageImport.objects.get().page.specific.get_latest_revision_as_object()
    rows = [(o.measure, float(o.value), o.unit, o.period) for o in page.outcomes.all()]
    assert ("Breastfeeding at 6 to 8 weeks", 31.0, "%", "Before") in rows
    assert ("Breastfeeding at 6 to 8 weeks", 38.0, "%", "After") in rows
    assert len(rows) == 4
    assert "Breastfeeding at 6 to 8 weeks | 31% | 38%" in page.evaluation
    assert "4 rows; its text is kept in evaluation" in out.getvalue()
    # Sub-headings go with their section; the lead paragraph is the summary.
    assert "Training\n\nEach peer supporter" in page.what_was_done
    assert page.summary.startswith("Trained peer supporters run weekly baby cafés")

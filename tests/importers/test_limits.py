"""The importer's bounds: deep nesting, very long pages and over-long fields give a clear answer.

The pages are generated here, so the tests stay cheap and need no fixture files.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from importers.fetch import MAX_BYTES
from importers.models import PageImport
from kb.models import CaseStudyPage

pytestmark = pytest.mark.django_db


def nested_page(levels):
    return (
        "<!doctype html><html><head><title>Nested</title></head><body><h1>Nested page</h1>"
        + "<div>" * levels
        + "<p>Deep text.</p>"
        + "</div>" * levels
        + "</body></html>"
    ).encode()


SENTENCE = "Health visitors met every family at home in the first week after the birth. "


def long_page(size):
    """A write-up just under `size` bytes: headings the importer knows, each far too long."""
    head = (
        "<!doctype html><html><head><title>Long</title></head><body><main>"
        "<h1>Home visits for new parents in Exampleton</h1>"
    )
    section = "<h2>What was done</h2>" + ("<p>" + SENTENCE * 12 + "</p>") * 40
    body = head + "<h2>Summary</h2><p>" + SENTENCE * 30 + "</p>"
    while len(body) + len(section) < size - 100:
        body += section
    return (body + "</main></body></html>").encode()


def import_file(tmp_path, name, raw, **options):
    path = tmp_path / name
    path.write_bytes(raw)
    lines = []

    class Out:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

    call_command("import_html", str(path), stdout=Out(), **options)
    return "".join(lines)


@pytest.mark.parametrize("levels", [1_000, 20_000])
def test_a_deeply_nested_page_is_a_one_line_command_error(tmp_path, levels):
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, "nested.html", nested_page(levels))
    message = str(refused.value)
    assert "nests its elements more than 200 deep" in message and "\n" not in message
    assert not PageImport.objects.exists()


def test_a_deeply_nested_upload_is_a_form_error_in_the_admin(admin_client):
    upload = SimpleUploadedFile("nested.html", nested_page(1_000), "text/html")
    response = admin_client.post(
        "/admin/importers/import/", {"page_type": "case_study", "html_file": upload}
    )
    assert response.status_code == 200
    assert "nests its elements more than 200 deep" in response.content.decode()
    assert not PageImport.objects.exists()


def test_a_page_near_the_size_limit_is_read_in_part_and_says_what_was_cut(tmp_path):
    raw = long_page(MAX_BYTES - 50_000)
    assert len(raw) > 4_900_000
    output = import_file(tmp_path, "long.html", raw)
    assert "only its first" in output and "were left out" in output
    page = CaseStudyPage.objects.get(title="Home visits for new parents in Exampleton")
    draft = page.get_latest_revision_as_object()
    draft.full_clean()  # the draft the editor opens saves as it is
    assert len(draft.what_was_done) <= 20_000
    assert "what was done shortened" in output.lower()


def test_a_long_summary_is_shortened_at_a_sentence_and_the_report_says_so(tmp_path):
    description = SENTENCE * 15  # over 1,000 characters
    raw = (
        "<html><head><title>T</title>"
        f'<meta name="description" content="{description}"></head>'
        "<body><h1>Family hubs in Exampleton</h1><h2>Aims</h2><p>To reach every family.</p>"
        "</body></html>"
    ).encode()
    output = import_file(tmp_path, "summary.html", raw)
    draft = CaseStudyPage.objects.get(
        title="Family hubs in Exampleton"
    ).get_latest_revision_as_object()
    assert len(draft.summary) <= 1000 and draft.summary.endswith("after the birth.")
    assert f"Summary shortened from {len(description.strip()):,} to" in output
    assert "at the end of a sentence" in output

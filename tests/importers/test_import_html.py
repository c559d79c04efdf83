"""`import_html`: each fixture page imports to the expected fields, as a draft, once."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from importers.models import PageImport
from kb.models import CaseStudyPage, ResourcePage

pytestmark = pytest.mark.django_db

HTML = Path(__file__).with_name("html")


def run(*args):
    call_command("import_html", *map(str, args))


def imported(source_contains):
    record = PageImport.objects.get(source__contains=source_contains)
    return record, record.page.specific.get_latest_revision_as_object()


def test_a_shared_learning_page_maps_each_heading_to_its_field(web_server):
    run(f"{web_server}/pages/shared_learning.html")
    record, page = imported("shared_learning")
    assert isinstance(page, CaseStudyPage)
    assert page.title == "Family nurse outreach for pregnant teenagers"
    assert page.summary.startswith("A midwife-led outreach service for pregnant teenagers")
    assert page.aims.startswith("To increase the number of pregnant teenagers")
    assert "• offer a named midwife to every pregnant teenager;" in page.aims
    assert page.what_was_done.startswith("The service was delivered from two children's centres")
    assert "Drop-in sessions\n\nWeekly sessions" in page.what_was_done  # an h3 inside stays
    assert "Results\n\nEarly booking rose" in page.evaluation
    assert "An internal audit" in page.evaluation
    assert "Learning points\n\nMeeting young women" in page.evaluation
    assert page.started == "September 2007" and page.start_year == 2007
    assert [(c.email, c.phone, c.name) for c in page.contacts.all()] == [
        ("outreach.lead@example.org", "01204 000111", "")
    ]
    assert [a.slug for a in page.areas.all()] == ["bolton"]
    assert [o.slug for o in page.organisations.all()] == ["bolton-council"]
    # Site chrome and scripts never reach the page.
    for text in (page.aims, page.what_was_done, page.evaluation, page.summary):
        assert "tracking" not in text and "Browse" not in text and "Footer" not in text
    # Provenance: the address, the date fetched, what went where and what was left out.
    assert record.source_url == f"{web_server}/pages/shared_learning.html"
    assert record.fetched_at is not None
    assert ["Related examples", 28] in record.left_out
    assert {name for name, _where, _size in record.mapped} >= {"title", "aims", "what_was_done"}
    assert "https://example.org/college" in record.links
    assert "14 March 2009" in record.dates


def test_the_result_is_a_draft_never_published(web_server):
    run(f"{web_server}/pages/shared_learning.html")
    record, _page = imported("shared_learning")
    page = record.page.specific
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().specific_class.__name__ == "CaseStudyIndexPage"


def test_a_council_news_article_keeps_its_body_out_and_says_so(web_server):
    run(f"{web_server}/pages/council_news.html")
    record, page = imported("council_news")
    assert page.title == "New breastfeeding cafes open across the borough"
    assert page.summary.startswith("Mothers in Calderdale can now drop in")  # not the date line
    assert page.aims == page.what_was_done == page.evaluation == ""  # no heading names them
    assert [a.slug for a in page.areas.all()] == ["calderdale"]
    assert [(c.email, c.phone) for c in page.contacts.all()] == [
        ("infant.feeding@example.gov.uk", "01422 000222")
    ]
    assert record.left_out[0][0] == "(text under the title, before any heading)"
    assert "2 June 2010" in record.dates
    assert page.started == ""  # a publication date is not a start date


def test_a_page_laid_out_in_a_table_reads_label_and_value_rows(web_server):
    run(HTML / "table_layout.html")
    record, page = imported("table_layout")
    assert page.title == "Stop smoking in pregnancy service, Dudley"
    assert (
        page.summary == "A specialist stop smoking service for pregnant women, offered at booking."
    )
    assert page.aims == "To reduce the number of women smoking at delivery."
    assert page.what_was_done == (
        "Every midwife refers women who smoke at booking.\n\n"
        "Carbon monoxide monitoring is offered at each antenatal visit."
    )
    assert page.evaluation == "Outcomes\n\nMore women set a quit date."
    assert page.started == "2006" and page.start_year == 2006
    assert ["Funding", 18] in record.left_out
    assert record.source_url == ""  # a file


def test_a_badly_nested_page_is_mended_and_sanitised(web_server):
    run(HTML / "badly_nested.html")
    _record, page = imported("safe-sleep")
    assert page.title == "Safe sleep project in Preston"
    assert (
        page.aims
        == "To reduce sudden unexpected deaths in infancy by giving every family consistent advice."
    )
    assert page.what_was_done == "• Trained health visitors\n\n• Gave out room thermometers"
    assert page.evaluation == "Not yet evaluated."
    assert [c.email for c in page.contacts.all()] == ["safe.sleep@example.org"]
    everything = " ".join([page.summary, page.aims, page.what_was_done, page.evaluation])
    assert "Injected" not in everything and "alert" not in everything and "<" not in everything


def test_a_resource_page_fills_resource_fields(web_server):
    run(f"{web_server}/pages/council_news.html", "--type", "resource")
    _record, page = imported("council_news")
    assert isinstance(page, ResourcePage)
    assert page.resource_type == "website"
    assert page.url_as_published == f"{web_server}/pages/council_news.html"
    assert page.phone == "01422 000222"


def test_a_second_import_changes_nothing(web_server, capsys):
    url = f"{web_server}/pages/shared_learning.html"
    run(url)
    record, _ = imported("shared_learning")
    revision = record.page.latest_revision_id
    pages = CaseStudyPage.objects.count()
    run(url)
    assert "Unchanged" in capsys.readouterr().out
    record.refresh_from_db()
    assert record.page.latest_revision_id == revision
    assert CaseStudyPage.objects.count() == pages


def test_an_edited_draft_is_not_overwritten(web_server, admin_user, capsys):
    url = f"{web_server}/pages/shared_learning.html"
    run(url)
    record, _ = imported("shared_learning")
    page = record.page.specific
    page.aims = "An editor's aims."
    page.save_revision(user=admin_user)
    run(url)
    assert "Kept: an editor has changed" in capsys.readouterr().out
    assert record.page.specific.get_latest_revision_as_object().aims == "An editor's aims."


def test_a_redirect_is_followed_and_the_final_address_recorded(web_server):
    run(f"{web_server}/moved-to-page")
    record = PageImport.objects.get()
    assert record.source_url == f"{web_server}/pages/shared_learning.html"


def test_a_parent_slug_is_honoured_and_checked(web_server):
    run(HTML / "table_layout.html", "--parent", "case-studies")
    with pytest.raises(CommandError, match="cannot hold a case study"):
        run(HTML / "badly_nested.html", "--parent", "resources")
    with pytest.raises(CommandError, match="no page with the slug 'nowhere'"):
        run(HTML / "badly_nested.html", "--parent", "nowhere")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/report.pdf", "not a web page (it is application/pdf); only text/html is imported"),
        ("/no-such-page", "the address answered 404, not a page"),
        ("/error", "the address answered 500, not a page"),
        ("/empty", "the page is empty"),
        ("/blank-page", "the page is empty"),
        ("/pages/no_title.html", "no recognisable title"),
        ("/huge", "larger than 5 MB"),
        ("/slow", "timed out after 1 seconds"),
        ("/loop", "more than 5 redirects"),
    ],
)
def test_bad_addresses_give_one_line_and_create_nothing(web_server, path, message):
    before = (CaseStudyPage.objects.count(), PageImport.objects.count())
    with pytest.raises(CommandError) as error:
        run(f"{web_server}{path}")
    assert message in str(error.value) and "\n" not in str(error.value)
    assert (CaseStudyPage.objects.count(), PageImport.objects.count()) == before


def test_an_unreachable_address_is_one_line(web_server):
    closed_port = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(CommandError, match="could not reach 127.0.0.1"):
        run(f"{closed_port}/page.html")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_html.pdf", "not an HTML file (expected .html or .htm)"),
        ("disguised_pdf.html", "not an HTML file"),
        ("plain_text.html", "not an HTML file"),
        ("empty.html", "the file is empty"),
        ("no_title.html", "no recognisable title"),
        ("missing.html", "no such file"),
    ],
)
def test_bad_files_give_one_line_and_create_nothing(name, message):
    before = CaseStudyPage.objects.count()
    with pytest.raises(CommandError) as error:
        run(HTML / name)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert CaseStudyPage.objects.count() == before


@pytest.mark.parametrize("source", ["file:///etc/passwd", "ftp://127.0.0.1/page.html"])
def test_other_schemes_are_refused(source):
    with pytest.raises(CommandError, match="only http and https"):
        run(source)


def test_production_rules_refuse_a_loopback_address(web_server, settings):
    settings.KB_FETCH_ADDRESSES = "public"
    with pytest.raises(CommandError, match="refused: it resolves to a private or local address"):
        run(f"{web_server}/pages/shared_learning.html")


def test_test_settings_never_reach_a_real_host():
    with pytest.raises(CommandError, match="fetch only from this machine"):
        run("https://www.example.com/page.html")

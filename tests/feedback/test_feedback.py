"""Is this page useful? and Report a problem: on every public page, without JavaScript, storing
nothing personal, rate-limited, and counted for editors."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import override_settings

from feedback.models import PageFeedback
from feedback.privacy import mask_personal_details
from kb.models import CaseStudyPage
from ratelimits.models import Attempt
from tests.editorial.conftest import make_user

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def study():
    return CaseStudyPage.objects.live().order_by("pk").first()


def test_every_public_page_asks_and_offers_a_problem_report(client, study):
    for url in ("/", study.url, "/case-studies/", "/search/?q=smoking", "/accessibility/"):
        page = soup(client.get(url))
        form = page.select_one("form[action='/feedback/useful/']")
        assert form is not None, url
        assert form.select_one("input[name=page]")["value"] == url.split("?")[0]
        assert [b["value"] for b in form.select("button[name=answer]")] == ["yes", "no"]
        assert page.find("a", string="Report a problem with this page"), url
        assert not form.select("input[name=csrfmiddlewaretoken]")  # keeps pages cacheable


def test_a_yes_is_stored_against_the_page_with_nothing_personal(client, study):
    response = client.post(
        "/feedback/useful/", {"page": study.url, "answer": "yes"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    assert "Thank you for your feedback" in response.content.decode()
    entry = PageFeedback.objects.get()
    assert (entry.page_id, entry.path, entry.kind) == (study.pk, study.url, "useful")
    stored = " ".join(str(v) for v in PageFeedback.objects.values().get().values())
    assert "203.0.113.9" not in stored
    assert not response.cookies


def test_a_problem_report_masks_emails_and_phone_numbers(client, study):
    form = client.get(f"/feedback/problem/?page={study.url}")
    assert "Do not include personal information" in form.content.decode()
    response = client.post(
        "/feedback/problem/",
        {
            "page": study.url,
            "problem": "Link broken since 2019. Call me on 07700 900123 or +44 (0)20 7946 0958, "
            "or email jo.bloggs+kb@example.org. 45% of 1200 women.",
        },
    )
    assert response.status_code == 200
    entry = PageFeedback.objects.get()
    assert entry.kind == "problem" and entry.page_id == study.pk
    assert "07700" not in entry.text and "7946" not in entry.text
    assert "example.org" not in entry.text
    assert "since 2019" in entry.text and "45% of 1200 women" in entry.text
    assert entry.text.count("[phone number removed]") == 2


def test_masking_leaves_dates_figures_and_codes_alone():
    text = "From 2008-2010, 12.5% (n=1,234) of 2009/10 births; order code 281234."
    assert mask_personal_details(text) == text


def test_a_problem_report_without_text_says_what_to_do(client):
    response = client.post("/feedback/problem/", {"page": "/", "problem": ""})
    assert response.status_code == 400
    assert "Describe the problem with this page" in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_bad_answers_and_methods_are_refused_cleanly(client):
    assert client.post("/feedback/useful/", {"page": "/", "answer": "maybe"}).status_code == 400
    assert client.get("/feedback/useful/").status_code == 405
    assert client.post("/feedback/useful/", {}).status_code == 400
    assert not PageFeedback.objects.exists()


def test_private_addresses_are_never_stored(client):
    for path in ("/packs/secret-token-123/", "https://evil.example/", "//evil.example/x", "/x?q=a"):
        client.post("/feedback/useful/", {"page": path, "answer": "no"})
    assert set(PageFeedback.objects.values_list("path", flat=True)) == {"(another page)"}
    assert not PageFeedback.objects.filter(path__contains="secret").exists()


@override_settings(FEEDBACK_RATE_LIMIT=(3, 3600))
def test_feedback_is_rate_limited_per_address(client):
    codes = [
        client.post(
            "/feedback/useful/", {"page": "/", "answer": "yes"}, REMOTE_ADDR="198.51.100.7"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    cache.clear()  # counted in the database, shared by every worker: not in a process's cache
    again = client.post(
        "/feedback/useful/", {"page": "/", "answer": "yes"}, REMOTE_ADDR="198.51.100.7"
    )
    assert again.status_code == 429
    stored = " ".join(" ".join(map(str, row)) for row in Attempt.objects.values_list())
    assert "198.51.100.7" not in stored
    refused = client.post(
        "/feedback/problem/", {"page": "/", "problem": "x"}, REMOTE_ADDR="198.51.100.7"
    )
    assert refused.status_code == 429
    assert "Try again in an hour" in refused.content.decode()
    other = client.post(
        "/feedback/useful/", {"page": "/", "answer": "no"}, REMOTE_ADDR="198.51.100.8"
    )
    assert other.status_code == 200
    assert PageFeedback.objects.count() == 4


def test_editors_see_the_count_on_the_edit_view_the_page_report_and_csv(client, study):
    for answer in ("yes", "no"):
        client.post("/feedback/useful/", {"page": study.url, "answer": answer})
    client.post("/feedback/problem/", {"page": study.url, "problem": '=HYPERLINK("x") broken'})
    client.force_login(make_user("ed-fb", "Editors"))
    edit = client.get(f"/admin/pages/{study.pk}/edit/")
    assert edit.status_code == 200
    assert "Reader feedback (3)" in edit.content.decode()
    report = client.get("/admin/reports/page-feedback/")
    assert report.status_code == 200 and study.title in report.content.decode()
    detail = client.get(f"/admin/reports/page-feedback/{study.pk}/")
    assert "3 responses" in detail.content.decode()
    export = client.get("/admin/reports/page-feedback/?export=csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == ["Date", "Page", "Address", "Answer", "Problem reported"]
    assert sorted(row[3] for row in rows[1:]) == ["Not useful", "Problem reported", "Useful"]
    problem = next(row for row in rows[1:] if row[3] == "Problem reported")
    assert problem[4].startswith("'=")  # not a formula in a spreadsheet


def test_people_without_the_permission_see_no_feedback(client, study):
    client.force_login(make_user("nobody", superuser=False))
    for url in (
        "/admin/reports/page-feedback/",
        "/admin/reports/page-feedback/?export=csv",
        f"/admin/reports/page-feedback/{study.pk}/",
    ):
        assert client.get(url).status_code in (302, 403), url


def test_no_feedback_form_on_addresses_that_carry_a_credential(rf, study):
    from django.template import engines

    template = engines["django"].from_string("{% include 'feedback/_page_feedback.html' %}")
    for path in (
        "/packs/secret-token-123/",
        "/alerts/manage/secret-token-123/",
        "/share-your-practice/status/secret-token-123/",
    ):
        assert "Is this page useful?" not in template.render({"request": rf.get(path)}), path
    assert "Is this page useful?" in template.render({"request": rf.get(study.url)})


def test_a_vote_leaves_the_page_cached(client, study):
    client.get(study.url)
    assert client.get(study.url)["X-KB-Page-Cache"] == "hit"
    client.post("/feedback/useful/", {"page": study.url, "answer": "yes"})
    client.cookies.clear()
    assert client.get(study.url)["X-KB-Page-Cache"] == "hit"

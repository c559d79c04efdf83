"""Spam and abuse: each defence refuses with a clear message (never a 500), hostile text is
stored as text and escaped everywhere, and the submitter's details stay private."""

import datetime
import io
import logging
import re
import time

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from config.logs import JsonFormatter, RedactPackTokens
from submissions.forms import STAMP_SALT
from submissions.models import Submission

from .conftest import SUBMITTER_EMAIL, SUBMITTER_NAME, answers

pytestmark = pytest.mark.django_db
HOSTILE_TITLE = '<script>alert("t")</script><b>Bold</b> \u202eevil\u202c Z\u0351a\u0352lgo 🍼'
HOSTILE_TEXT = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">click</a> &amp; \u200b'


def post(client, address="192.0.2.20", **changes):
    return client.post("/share-your-practice/", answers(**changes), REMOTE_ADDR=address)


def refused(response, status, message):
    assert response.status_code == status, response.status_code
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_the_honeypot_refuses_with_a_message(client):
    refused(post(client, website="http://spam.example"), 400, "must be left empty")


@override_settings(SUBMISSIONS_MIN_FILL_SECONDS=5)
def test_a_form_sent_too_fast_or_without_its_stamp_is_refused(client):
    refused(post(client), 400, "faster than a person can fill it in")
    refused(post(client, started="forged"), 400, "faster than a person")
    refused(post(client, started=None), 400, "faster than a person")
    an_hour_ago = signing.dumps(time.time() - 60, salt=STAMP_SALT)
    assert post(client, started=an_hour_ago).status_code == 302


@override_settings(SUBMISSIONS_RATE_LIMITS=((2, 3600), (10, 86400)))
def test_submissions_are_rate_limited_per_address(client):
    codes = [post(client, title=f"Project {n}").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    last = post(client, title="Project 4")
    assert "Several examples were sent from your connection" in last.content.decode()
    assert post(client, address="192.0.2.99", title="Other").status_code == 302


@override_settings(SUBMISSIONS_RATE_LIMITS=((10, 3600), (1, 86400)))
def test_submissions_are_rate_limited_per_email(client):
    assert post(client).status_code == 302
    again = post(client, address="192.0.2.77", submitter_email=SUBMITTER_EMAIL.upper())
    assert again.status_code == 429
    assert "Several examples were sent with this email address today" in again.content.decode()
    assert Submission.objects.count() == 1


def test_length_and_link_limits_refuse_with_messages(client):
    refused(post(client, what_was_done="x" * 1_000_000), 400, "must be 20,000 characters or fewer")
    links = " ".join(f"https://spam{n}.example/" for n in range(200))
    refused(post(client, aims=links[:4999]), 400, "Include at most 10 web addresses")
    many = "\n".join(f"https://example.org/{n}" for n in range(6))
    refused(post(client, links=many), 400, "Give at most 5 links")
    refused(post(client, links="javascript:alert(1)"), 400, "starting https://")
    refused(post(client, title="Nul\x00byte"), 400, "Null characters are not allowed")
    refused(post(client, start_year="20x3"), 400, "Enter the year as four digits")
    refused(post(client, **{"outcome-0-value": "lots"}), 400, "Enter the value as a number")
    refused(post(client, **{"outcome-TOTAL_FORMS": None}), 400, "There is a problem")


def test_a_hostile_submission_is_stored_as_text_and_escaped_everywhere(
    client, moderator_client, django_capture_on_commit_callbacks
):
    assert post(client, title=HOSTILE_TITLE, what_was_done=HOSTILE_TEXT).status_code == 302
    submission = Submission.objects.get()
    assert submission.title == HOSTILE_TITLE
    page = Page.objects.get(pk=submission.page_id).specific
    assert page.title == HOSTILE_TITLE and page.what_was_done == HOSTILE_TEXT
    status = re.search(r"(/share-your-practice/status/\S+/)", mail.outbox[-1].body).group(1)
    assert HOSTILE_TITLE in mail.outbox[-1].body  # plain text, not HTML
    screens = [
        client.get(status),
        moderator_client.get("/admin/"),
        moderator_client.get("/admin/submissions/"),
        moderator_client.get(f"/admin/submissions/{submission.pk}/"),
        moderator_client.get(f"/admin/pages/{page.pk}/edit/"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(f"/admin/submissions/{submission.pk}/act/", {"action": "approve"})
    page.refresh_from_db()
    assert page.live
    screens += [client.get(page.url), client.get("/case-studies/"), client.get("/search/?q=Zalgo")]
    for response in screens:
        html = response.content.decode()
        assert response.status_code == 200
        assert '<script>alert("t")' not in html
        assert "<img src=x" not in html and 'href="javascript:' not in html
        assert "<b>Bold</b>" not in html
    assert "&lt;script&gt;" in screens[0].content.decode()


def test_private_details_appear_in_no_public_page_api_feed_export_or_log(
    client, moderator_client, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    post(client, title="Peer support for breastfeeding in Privatetown")
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(f"/admin/submissions/{submission.pk}/act/", {"action": "approve"})
    page = Page.objects.get(pk=submission.page_id)
    assert page.live
    public = [
        page.url,
        "/case-studies/",
        "/search/?q=Privatetown",
        "/api/search/?q=Privatetown",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/accessibility/",
    ]
    exports = [
        "/admin/reports/overdue-for-review/?export=csv",
        "/admin/reports/page-feedback/?export=csv",
    ]
    seen = [client.get(url).content.decode() for url in public]
    seen += [moderator_client.get(url).content.decode() for url in exports]
    assert "Privatetown" in seen[0] and "Privatetown" in seen[3]
    for text in seen + [caplog.text]:
        assert SUBMITTER_NAME not in text and SUBMITTER_EMAIL not in text


def test_submission_admin_refuses_everyone_but_moderators(client, editor_client):
    post(client)
    pk = Submission.objects.get().pk
    urls = [
        "/admin/submissions/",
        "/admin/submissions/report/",
        f"/admin/submissions/{pk}/",
    ]
    for who in (client, editor_client):
        for url in urls:
            response = who.get(url)
            assert response.status_code in (302, 403), url
            assert SUBMITTER_EMAIL not in response.content.decode()
        who.post(f"/admin/submissions/{pk}/act/", {"action": "decline", "message": "x"})
    assert Submission.objects.get().status == "received"


def test_the_report_counts_arrivals_and_review_time(client, moderator_client):
    post(client)
    submission = Submission.objects.get()
    moderator_client.post(
        f"/admin/submissions/{submission.pk}/act/", {"action": "decline", "message": "No"}
    )
    Submission.objects.update(created_at=timezone.now() - datetime.timedelta(days=4))
    report = moderator_client.get("/admin/submissions/report/").content.decode()
    assert "1 decided" in report and "median 4.0 days" in report


def test_retention_deletes_old_declined_submissions_and_published_details(client):
    for n in range(3):
        post(client, title=f"Retention {n}", submitter_email=f"r{n}@example.org")
    old, recent, published = Submission.objects.order_by("title")
    long_ago = timezone.now() - datetime.timedelta(days=91)
    Submission.objects.filter(pk=old.pk).update(status="declined", decided_at=long_ago)
    Submission.objects.filter(pk=recent.pk).update(
        status="declined", decided_at=timezone.now() - datetime.timedelta(days=89)
    )
    Submission.objects.filter(pk=published.pk).update(status="published", decided_at=long_ago)
    out = io.StringIO()
    call_command("purge_submissions", stdout=out)
    assert "Deleted 1 declined submission older than 90 days" in out.getvalue()
    assert not Submission.objects.filter(pk=old.pk).exists()
    assert not Page.objects.filter(pk=old.page_id).exists()
    assert Submission.objects.filter(pk=recent.pk).exists()
    published.refresh_from_db()
    assert (published.submitter_name, published.submitter_email) == ("", "")
    assert published.personal_data_removed_at is not None
    with pytest.raises(CommandError, match="--days must be 0 or more"):
        call_command("purge_submissions", "--days", "-1")


def test_a_status_link_is_logged_without_its_token(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactPackTokens())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/share-your-practice/status/secret-status-token-456/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert "/share-your-practice/status/<token>" in stream.getvalue()
    assert "secret-status-token-456" not in stream.getvalue()

"""A submitter's details reach moderators only: every admin route Wagtail or we register for
the submissions app (found by walking the URL resolver, tests.privacy) refuses everyone else."""

import pytest
from django.apps import apps
from django.test import Client

from submissions.models import Submission, SubmissionReply
from tests.editorial.conftest import make_user
from tests.privacy import leaking_responses, parameterless_pages_showing, private_admin_urls

from .conftest import answers

pytestmark = pytest.mark.django_db
QUERY = "Zephyrine"
MARKER = "Quillfeather"


@pytest.fixture
def private_records(client):
    client.post(
        "/share-your-practice/",
        answers(title=f"{QUERY} baby clinics", submitter_name=f"{QUERY} {MARKER}"),
    )
    submission = Submission.objects.get()
    reply = SubmissionReply.objects.create(submission=submission, text=f"{QUERY} {MARKER} answer")
    return [submission, reply]


@pytest.fixture
def submission_urls(private_records):
    urls = private_admin_urls("submissions", private_records, query=QUERY)
    assert {url.model_label for url in urls} == {
        m._meta.label for m in apps.get_app_config("submissions").get_models()
    }
    assert {url.route for url in urls} >= {"admin/submissions/<int:pk>/"}
    return urls


def signed_in(*groups, superuser=False):
    client = Client(raise_request_exception=False)
    if groups or superuser:
        client.force_login(
            make_user("u-" + "-".join(groups or ("root",)), *groups, superuser=superuser)
        )
    return client


@pytest.mark.parametrize("groups", [(), ("Editors",)])
def test_no_submission_route_shows_or_changes_a_record_outside_the_moderators(
    submission_urls, private_records, groups
):
    client = signed_in(*groups)
    assert leaking_responses(client, submission_urls, marker=MARKER) == []
    assert leaking_responses(client, submission_urls, marker=MARKER, post=True) == []
    submission = Submission.objects.get()
    assert submission.status == "received" and submission.replies.count() == 1


def test_moderators_reach_the_records_through_the_same_routes(submission_urls):
    client = signed_in("Moderators")
    shown = [u.route for u in submission_urls if MARKER.encode() in client.get(u.url).content]
    assert "admin/submissions/<int:pk>/" in shown


def test_no_other_admin_page_shows_a_submitter_to_an_editor(private_records):
    client = signed_in("Editors")
    assert parameterless_pages_showing(client, marker=MARKER, query=QUERY) == []

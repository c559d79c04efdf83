"""Private means private: no admin route shows a support record to anyone outside the team.

The routes are not listed here: `tests.privacy` walks the URL resolver for every admin route
that concerns the support app's models (Wagtail's viewsets, choosers, bulk actions, history,
usage, revisions, and any route added later) and fills each in with these records' ids.
"""

import datetime

import pytest
from django.apps import apps
from django.test import Client

from support.models import FollowUp, PackSending, ProgressLink, ProgressUpdate, Recommendation
from support.sending import send_pack
from support.visit_report import send_report
from tests.privacy import (
    leaking_responses,
    parameterless_pages_showing,
    private_admin_urls,
    shows,
)

from .conftest import first_category, make_pack, make_visit, theme

pytestmark = pytest.mark.django_db

# Every record holds both words: listings and choosers are searched for the first (which a
# search box echoes back), and a leak is the second shown.
QUERY = "Zephyrine"
MARKER = "Quillfeather"
OUTSIDERS = ("anonymous", "editor", "moderator")
MEMBERS = ("support", "superuser")


@pytest.fixture
def private_records(support_user, rf):
    visit = make_visit(recommendations=0, lead=support_user)
    visit.notes = f"{QUERY} {MARKER} visit notes"
    visit.lead_contacts = f"{QUERY} {MARKER} Lead <lead@example.org>"
    visit.save()
    visit.save_revision(user=support_user)
    recommendation = Recommendation.objects.create(
        visit=visit,
        text=f"{QUERY} {MARKER} recommendation: a single infant mortality plan",
        theme=theme("strategic-approaches"),
        category=first_category("strategic-approaches"),
    )
    follow_up = FollowUp.objects.filter(visit=visit).first()
    follow_up.notes = f"{QUERY} {MARKER} follow-up notes"
    follow_up.save()
    pack = make_pack(visit)
    pack.title = f"{QUERY} {MARKER} pack for Sandwell"
    pack.save()
    pack.save_revision(user=support_user)
    sending, _ = send_pack(
        pack,
        user=support_user,
        recipients=[{"name": f"{QUERY} {MARKER} Recipient", "email": "recipient@example.org"}],
        expires_on=None,
        send_key="privacy-key",
        absolute=rf.get("/").build_absolute_uri,
    )
    visit.strengths = f"{QUERY} {MARKER} strengths"
    visit.save()
    report, _ = send_report(
        visit,
        user=support_user,
        recipients=[{"name": f"{QUERY} {MARKER} Lead", "email": "lead@example.org"}],
        send_key="privacy-report-key",
        absolute=rf.get("/").build_absolute_uri,
    )
    link = ProgressLink.objects.create(
        visit=visit,
        recipient_name=f"{QUERY} {MARKER} Area Lead",
        expires_on=datetime.date.today() + datetime.timedelta(days=90),
        created_by=support_user,
    )
    update = ProgressUpdate.objects.create(
        recommendation=recommendation,
        link=link,
        made_by=link.recipient_name,
        old_progress="not_started",
        new_progress="in_progress",
        comment=f"{QUERY} {MARKER} progress comment",
    )
    return [visit, recommendation, follow_up, pack, sending, report, link, update]


@pytest.fixture
def support_urls(private_records):
    urls = private_admin_urls("support", private_records, query=QUERY)
    models = {url.model_label for url in urls}
    # Every model of the app is reached, and the generic Wagtail routes are among them.
    assert models == {m._meta.label for m in apps.get_app_config("support").get_models()} - {
        "support.PackItem"
    }
    routes = {url.route for url in urls}
    assert any(route.startswith("admin/snippets/choose/support/") for route in routes)
    assert any(route.startswith("admin/bulk/") for route in routes)
    return urls


def _client(users, role):
    client = Client(raise_request_exception=False)
    if users[role] is not None:
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_support_route_shows_a_record_outside_the_team(users, support_urls, role):
    leaks = leaking_responses(_client(users, role), support_urls, marker=MARKER)
    assert leaks == [], f"{role} can read: {leaks}"


def test_no_support_route_changes_a_record_outside_the_team(users, private_records, support_urls):
    client = _client(users, "editor")
    leaks = leaking_responses(client, support_urls, marker=MARKER, post=True)
    assert leaks == []
    for record in private_records:
        assert type(record).objects.filter(pk=record.pk).exists(), record
    assert PackSending.objects.get(pk=private_records[4].pk).revoked_at is None
    assert ProgressLink.objects.get(pk=private_records[6].pk).revoked_at is None


@pytest.mark.parametrize("role", MEMBERS)
def test_the_team_still_reaches_its_records(users, support_urls, role):
    """The check can fail: members do see the marker through the same routes."""
    client = _client(users, role)
    shown = []
    for private in support_urls:
        response = client.get(private.url)
        assert response.status_code < 500, private.url
        if shows(response, MARKER):
            shown.append(private.route)
    assert any("choose/support/recommendation" in route for route in shown)
    assert "admin/support/visits/<int:pk>/report/" in shown
    assert "admin/support/reports/<int:pk>/" in shown
    assert "admin/support/reports/<int:pk>/pdf/" in shown  # a PDF's text is read, too
    assert any(route.startswith("admin/support/visits/edit") for route in shown)
    assert "admin/support/visits/<int:pk>/progress/" in shown  # the area's progress history
    assert "admin/support/progress-links/<int:pk>/revoke/" in shown


@pytest.mark.parametrize("role", ("editor", "moderator"))
def test_no_other_admin_page_shows_a_record(users, private_records, role):
    """Reports, search and dashboards (site history, admin search...) for someone else."""
    client = _client(users, role)
    assert parameterless_pages_showing(client, marker=MARKER, query=QUERY) == []

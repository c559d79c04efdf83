"""Subscribers' addresses reach only admins with `alerts.view_subscriber_addresses`: every
admin route that concerns the alerts models (found by walking the URL resolver, tests.privacy)
and every parameterless admin page refuses, or says nothing of them, to everyone else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from alerts.models import AlertEmail, SentPage, Subscription
from tests.editorial.conftest import make_user
from tests.privacy import leaking_responses, parameterless_pages_showing, private_admin_urls

pytestmark = pytest.mark.django_db
QUERY = "Zephyrine"
MARKER = "quillfeather"


@pytest.fixture
def records():
    subscription = Subscription.objects.create(
        email=f"{QUERY.lower()}.{MARKER}@example.org",
        description=f"{QUERY} search",
        search_hash="x" * 64,
        confirmed_at=timezone.now(),
        matched_until=timezone.now(),
    )
    alert = AlertEmail.objects.create(subscription=subscription, subject=QUERY, body=f"{QUERY}")
    sent = SentPage.objects.create(subscription=subscription, page_id=1, alert=alert, change="new")
    return [subscription, alert, sent]


def signed_in(*groups, permission=False):
    client = Client(raise_request_exception=False)
    user = make_user("u-" + "-".join(groups or ("plain",)) + ("-p" if permission else ""), *groups)
    user.is_staff = True
    user.save()
    if permission:
        group = Group.objects.create(name="Alert administrators")
        group.permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="view_subscriber_addresses"),
        )
        user.groups.add(group)
    client.force_login(user)
    return client


@pytest.mark.parametrize("groups", [(), ("Editors",), ("Moderators",)])
def test_no_admin_route_shows_an_address_without_the_permission(records, groups):
    client = signed_in(*groups)
    urls = private_admin_urls("alerts", records, query=QUERY)
    assert "admin/alerts/subscribers/" in {url.route for url in urls}
    assert leaking_responses(client, urls, marker=MARKER) == []
    assert leaking_responses(client, urls, marker=MARKER, post=True) == []
    assert parameterless_pages_showing(client, marker=MARKER, query=QUERY) == []


def test_the_named_permission_shows_the_addresses(records):
    client = signed_in("Editors", permission=True)
    response = client.get("/admin/alerts/subscribers/")
    assert response.status_code == 200 and MARKER.encode() in response.content
    assert b"Email alert subscribers" in client.get("/admin/").content
    assert b"Email alert subscribers" not in signed_in("Editors").get("/admin/").content

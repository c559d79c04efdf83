"""Who sees what: every workspace URL, the share page and the PDF, for every kind of user."""

import pytest
from django.urls import reverse

from support.models import FollowUp
from support.sending import send_pack

from .conftest import make_pack, make_visit

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "moderator", "support", "superuser")
ALLOWED = {"support", "superuser"}


@pytest.fixture
def records(support_user, rf):
    visit = make_visit(recommendations=1, lead=support_user)
    pack = make_pack(visit)
    request = rf.get("/")
    sending, _ = send_pack(
        pack,
        user=support_user,
        recipients=[{"name": "Ada Area", "email": "ada@example.org"}],
        expires_on=None,
        send_key="perm-key",
        absolute=request.build_absolute_uri,
    )
    return {
        "visit": visit,
        "recommendation": visit.recommendations.first(),
        "follow_up": FollowUp.objects.filter(visit=visit).first(),
        "pack": pack,
        "sending": sending,
    }


def workspace_urls(r):
    visit, pack, sending = r["visit"], r["pack"], r["sending"]
    urls = [
        reverse("support_visits:list"),
        reverse("support_visits:add"),
        reverse("support_visits:edit", args=[visit.pk]),
        reverse("support_visits:history", args=[visit.pk]),
        reverse("support_visits:delete", args=[visit.pk]),
        reverse("support_recommendations:list"),
        reverse("support_recommendations:edit", args=[r["recommendation"].pk]),
        reverse("support_follow_ups:list"),
        reverse("support_follow_ups:edit", args=[r["follow_up"].pk]),
        reverse("support_packs:list"),
        reverse("support_packs:add"),
        reverse("support_packs:edit", args=[pack.pk]),
        reverse("support_packs:history", args=[pack.pk]),
        reverse("support-pack-suggestions", args=[pack.pk]),
        reverse("support-pack-send", args=[pack.pk]),
        reverse("support_sendings:list"),
        reverse("support-sending", args=[sending.pk]),
        reverse("support-report"),
        reverse("support-report") + f"?visit={visit.pk}",
        reverse("support-areas"),
        reverse("support-area", args=[visit.area_id]),
        reverse("support-coverage"),
    ]
    return urls


def login(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])


@pytest.mark.parametrize("role", ROLES)
def test_workspace_urls_only_for_the_team(client, users, records, role):
    login(client, users, role)
    for url in workspace_urls(records):
        response = client.get(url)
        if role in ALLOWED:
            assert response.status_code == 200, (role, url, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/admin/login/"), url
        else:
            # Wagtail refuses: a 403, or back to the dashboard with a permission message.
            assert response.status_code in (302, 403), (role, url, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith("/admin/login/"), url
                assert "support" not in response["Location"], url
            assert b"Ada Area" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_post_actions_refused_outside_the_team(client, users, records, role):
    if role in ALLOWED:
        return
    login(client, users, role)
    sending = records["sending"]
    response = client.post(reverse("support-sending-revoke", args=[sending.pk]))
    assert response.status_code in (302, 403)
    sending.refresh_from_db()
    assert sending.revoked_at is None


@pytest.mark.parametrize("role", ROLES)
def test_share_page_and_pdf_need_no_login(client, users, records, role):
    login(client, users, role)
    token = records["sending"].token
    page = client.get(reverse("support-pack-share", args=[token]))
    assert page.status_code == 200
    assert b"Ada Area" not in page.content  # recipients are never on the share page
    pdf = client.get(reverse("support-pack-pdf", args=[token]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ROLES)
def test_menu_and_dashboard_only_for_the_team(client, users, records, role):
    if role == "anonymous":
        return
    login(client, users, role)
    response = client.get("/admin/")
    assert response.status_code == 200
    shown = b"Due and overdue follow-ups" in response.content
    assert shown == (role in ALLOWED)

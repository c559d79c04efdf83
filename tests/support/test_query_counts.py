"""Every workspace page runs at most 30 SQL queries, whatever the number of visits.

Each page is measured with few visits and with many; a query per row would show as a rise, so
the counts must also be the same (or nearly: Wagtail reads a few things once per distinct
object type shown).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from support.models import FollowUp, Recommendation
from support.sending import send_pack
from support.visit_report import send_report

from .conftest import make_pack, make_visit

pytestmark = pytest.mark.django_db
MAX_QUERIES = 30
AREAS = ["sandwell", "kirklees", "birmingham", "bradford", "leeds", "manchester"]


def build(count, user, rf):
    visits = []
    for n in range(count):
        visit = make_visit(
            AREAS[n % len(AREAS)],
            start=datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * n),
            lead=user,
            recommendations=3,
        )
        visit.team.set([user])
        visit.save()
        visits.append(visit)
    for visit in visits[:count]:
        pack = make_pack(visit)
        send_pack(
            pack,
            user=user,
            recipients=[{"name": "Ada", "email": "ada@example.org"}],
            expires_on=None,
            send_key=f"q-{visit.pk}",
            absolute=rf.get("/").build_absolute_uri,
        )
        send_report(
            visit,
            user=user,
            recipients=[{"name": "Dana", "email": "dana@example.org"}],
            send_key=f"r-{visit.pk}",
            absolute=rf.get("/").build_absolute_uri,
        )
    FollowUp.objects.update(due_date=datetime.date.today())  # all on the dashboard
    return visits


def pages(visits):
    visit = visits[0]
    return {
        "dashboard": "/admin/",
        "visits": reverse("support_visits:list"),
        "visit edit": reverse("support_visits:edit", args=[visit.pk]),
        "recommendations": reverse("support_recommendations:list"),
        "follow-ups": reverse("support_follow_ups:list"),
        "packs": reverse("support_packs:list"),
        "pack edit": reverse("support_packs:edit", args=[visit.packs.first().pk]),
        "sendings": reverse("support_sendings:list"),
        "sending": reverse("support-sending", args=[visit.packs.first().sendings.first().pk]),
        "pack preview": reverse("support-pack-preview", args=[visit.packs.first().pk]),
        "send form": reverse("support-pack-send", args=[visit.packs.first().pk]),
        "report": reverse("support-report"),
        "visit report": reverse("support-report") + f"?visit={visit.pk}",
        "areas": reverse("support-areas"),
        "area history": reverse("support-area", args=[visit.area_id]),
        "coverage": reverse("support-coverage"),
        "visit's written report": reverse("support-visit-report", args=[visit.pk]),
        "sent reports": reverse("support-sent-reports"),
        "sent report": reverse("support-sent-report", args=[visit.sent_reports.first().pk]),
    }


def measure(client, url):
    client.get(url)  # warm per-process caches, as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("count", [2, 14])
def test_workspace_pages_stay_within_budget(support_client, support_user, rf, count):
    visits = build(count, support_user, rf)
    for name, url in pages(visits).items():
        queries = measure(support_client, url)
        assert queries <= MAX_QUERIES, (name, queries)


def test_counts_do_not_grow_with_visits(support_client, support_user, rf):
    visits = build(2, support_user, rf)
    few = {name: measure(support_client, url) for name, url in pages(visits).items()}
    visits += build(12, support_user, rf)
    assert Recommendation.objects.count() == 42
    many = {name: measure(support_client, url) for name, url in pages(visits).items()}
    grew = {name: (few[name], many[name]) for name in few if many[name] > few[name] + 2}
    assert not grew, grew


def test_a_visit_with_many_recommendations_edits_within_budget(support_client, support_user):
    few = make_visit(lead=support_user, recommendations=1)
    many = make_visit("kirklees", lead=support_user, recommendations=25)
    url = reverse("support_visits:edit", args=[few.pk])
    few_queries = measure(support_client, url)
    many_queries = measure(support_client, reverse("support_visits:edit", args=[many.pk]))
    assert many_queries <= MAX_QUERIES
    assert many_queries <= few_queries + 2, (few_queries, many_queries)


def test_a_pack_with_many_items_edits_within_budget(support_client):
    from kb.models import CaseStudyPage, ResourcePage

    pages = list(ResourcePage.objects.live()[:15]) + list(CaseStudyPage.objects.live()[:10])
    few = make_pack(make_visit(), pages=pages[:1])
    many = make_pack(make_visit("kirklees"), pages=pages)
    few_queries = measure(support_client, reverse("support_packs:edit", args=[few.pk]))
    many_queries = measure(support_client, reverse("support_packs:edit", args=[many.pk]))
    assert many_queries <= MAX_QUERIES
    assert many_queries <= few_queries + 2, (few_queries, many_queries)
    page = support_client.get(reverse("support_packs:edit", args=[many.pk])).content.decode()
    assert pages[-1].title.replace("'", "&#x27;") in page or pages[-1].title in page


def test_a_visit_report_with_many_packs_stays_within_budget(support_client, support_user):
    from kb.models import CaseStudyPage, ResourcePage

    pages = list(ResourcePage.objects.live()[:10]) + list(CaseStudyPage.objects.live()[:10])
    one = make_visit(lead=support_user, recommendations=3)
    make_pack(one, pages=pages[:5])
    four = make_visit("kirklees", lead=support_user, recommendations=12)
    for n in range(4):
        make_pack(four, pages=pages[n * 5 : n * 5 + 5])
    few_queries = measure(support_client, reverse("support-visit-report", args=[one.pk]))
    many_queries = measure(support_client, reverse("support-visit-report", args=[four.pk]))
    assert many_queries <= MAX_QUERIES
    assert many_queries <= few_queries + 2, (few_queries, many_queries)

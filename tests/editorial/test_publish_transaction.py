"""On SQLite, an admin Publish is one transaction, so it takes the one write lock once (issue 24).

Wagtail's publish view writes in several transactions and some statements outside any; each
queued separately for SQLite's write lock. `config.write_transactions` wraps admin writes.
The test's own transaction is the outermost block here, so "inside the request's transaction"
means one block deeper than the test.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from config.write_transactions import AdminWriteTransactionMiddleware
from kb.models import CaseStudyPage

from .admin_forms import edit_form, fill

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the one-transaction publish is for SQLite's one writer"
)
def test_every_write_of_a_publish_runs_in_the_requests_one_transaction(admin_client):
    page = CaseStudyPage.objects.live().first()
    data = edit_form(admin_client, page)
    fill(data, title=page.title + " (revised)")
    data["action-publish"] = ["1"]
    test_depth = len(connection.atomic_blocks)
    writes = []  # (statement head, transaction depth)

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            writes.append((" ".join(sql.split()[:3]), len(connection.atomic_blocks)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.title.endswith("(revised)") and page.live
    assert writes
    outside = [head for head, depth in writes if depth <= test_depth]
    assert outside == []


def test_what_an_admin_write_saved_before_a_server_error_is_kept():
    """As before the wrapping: a view may already have sent an email about what it saved."""

    def failing_view(request):
        Group.objects.create(name="saved before the error")
        return HttpResponse(status=500)

    middleware = AdminWriteTransactionMiddleware(failing_view)
    middleware(RequestFactory().post("/admin/pages/1/edit/"))
    assert Group.objects.filter(name="saved before the error").exists()


def test_reads_and_public_writes_are_not_wrapped():
    depths = []

    def view(request):
        depths.append(connection.in_atomic_block and len(connection.atomic_blocks))
        return HttpResponse()

    middleware = AdminWriteTransactionMiddleware(view)
    outer = len(connection.atomic_blocks)
    middleware(RequestFactory().get("/admin/pages/1/edit/"))
    middleware(RequestFactory().post("/feedback/"))
    assert depths == [outer, outer]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="what other databases get")
def test_other_databases_get_admin_writes_unwrapped():
    """PostgreSQL has row locks, not one write lock: its publishes stay as Wagtail writes them."""
    depths = []

    def view(request):
        depths.append(len(connection.atomic_blocks))
        return HttpResponse()

    outer = len(connection.atomic_blocks)
    AdminWriteTransactionMiddleware(view)(RequestFactory().post("/admin/pages/1/edit/"))
    assert depths == [outer]

"""Review dates on known dates: the dashboard panel, the overdue report and CSV, `review_due`."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kb.models import CaseStudyPage, EvidenceSummaryPage, ResourcePage

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def dated(editor):
    """One overdue page with an owner, one overdue without, one due soon, the rest far off."""
    for model in (CaseStudyPage, ResourcePage, EvidenceSummaryPage):
        model.objects.update(review_due=TODAY + datetime.timedelta(days=400))
    owned = CaseStudyPage.objects.live().order_by("pk").first()
    owned.review_due = TODAY - datetime.timedelta(days=3)
    owned.review_owner = editor
    owned.save()
    unowned = ResourcePage.objects.live().order_by("pk").first()
    unowned.review_due = None
    unowned.last_reviewed = TODAY - datetime.timedelta(days=2 * 365 + 5)
    unowned.save()
    soon = EvidenceSummaryPage.objects.live().order_by("pk").first()
    soon.review_due = TODAY + datetime.timedelta(days=10)
    soon.save()
    return owned, unowned, soon


def test_default_review_date_is_two_years_after_first_publication():
    page = CaseStudyPage.objects.live().first()
    page.review_due = page.last_reviewed = None
    first = timezone.localdate(page.first_published_at)
    assert page.next_review_due() == first.replace(year=first.year + 2)
    page.last_reviewed = datetime.date(2025, 3, 1)
    assert page.next_review_due() == datetime.date(2027, 3, 1)
    page.review_due = datetime.date(2026, 1, 1)
    assert page.next_review_due() == datetime.date(2026, 1, 1)


def test_dashboard_panel_lists_due_pages(dated, moderator_client):
    owned, unowned, soon = dated
    body = moderator_client.get("/admin/").content.decode()
    assert "Due for review" in body
    for page in dated:
        assert page.title in body
    assert "(overdue)" in body
    assert "editing-guide" in body


def test_overdue_report_and_csv(dated, moderator_client):
    owned, unowned, soon = dated
    body = moderator_client.get("/admin/reports/overdue-for-review/").content.decode()
    assert owned.title in body and unowned.title in body
    assert soon.title not in body
    response = moderator_client.get("/admin/reports/overdue-for-review/", {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Title", "Type", "Next review due"]
    assert {row[0] for row in rows[1:]} == {owned.title, unowned.title}
    owned_row = next(row for row in rows if row[0] == owned.title)
    assert owned_row[2] == (TODAY - datetime.timedelta(days=3)).isoformat()
    assert owned_row[4] == "edna"


def test_review_due_lists_and_notifies(dated, editor, moderator):
    owned, unowned, soon = dated
    out = io.StringIO()
    call_command("review_due", stdout=out)
    assert "2 page(s) overdue for review." in out.getvalue()
    assert not mail.outbox
    call_command("review_due", "--notify", stdout=io.StringIO())
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_recipient) == {editor.email, moderator.email}
    assert owned.title in by_recipient[editor.email]
    assert unowned.title in by_recipient[moderator.email]
    assert owned.title not in by_recipient[moderator.email]


def test_review_due_on_a_known_later_date(dated):
    out = io.StringIO()
    later = TODAY + datetime.timedelta(days=20)
    call_command("review_due", "--date", later.isoformat(), stdout=out)
    assert "3 page(s) overdue for review." in out.getvalue()


def test_review_due_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("review_due", "--date", "next week")


def test_people_who_cannot_edit_do_not_see_the_report(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("visitor", "v@example.invalid", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/reports/overdue-for-review/").status_code in (302, 403)
    assert "Due for review" not in client.get("/admin/").content.decode()

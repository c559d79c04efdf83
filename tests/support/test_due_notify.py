"""`support_due --notify`: each follow-up's owner is emailed what is due soon and overdue, once
per item per day, so a scheduled job can run it as often as it likes."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from support.models import FollowUp

from .conftest import make_visit

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("support_due", *args, stdout=out)
    return out.getvalue()


def test_notify_emails_each_owner_once_per_item_per_day(support_user, django_user_model):
    visit = make_visit(start=datetime.date(2026, 3, 2), lead=support_user)  # ends 5 March
    package = visit.follow_ups.get(kind=FollowUp.Kind.PACKAGE)  # due 16 April
    assessment = visit.follow_ups.get(kind=FollowUp.Kind.SELF_ASSESSMENT)  # due 5 September
    assessment.due_date = datetime.date(2026, 4, 20)
    assessment.save()

    output = run("--notify", "--today", "2026-04-18", "--days", "7")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [support_user.email]
    assert "2 days overdue" in message.body  # the package, due 16 April
    assert "Sandwell" in message.body and "20 April 2026" in message.body
    assert f"/admin/support/follow-ups/edit/{package.pk}/" in message.body
    assert "Sent 1 reminder email" in output

    # The same day again: nothing new to say.
    run("--notify", "--today", "2026-04-18", "--days", "7")
    assert len(mail.outbox) == 1
    # The next day: reminded again.
    run("--notify", "--today", "2026-04-19", "--days", "7")
    assert len(mail.outbox) == 2

    # Done items are never mentioned.
    FollowUp.objects.filter(visit=visit).update(status=FollowUp.Status.DONE)
    run("--notify", "--today", "2026-04-20", "--days", "7")
    assert len(mail.outbox) == 2


def test_an_owner_without_an_email_is_reported_not_a_failure(support_user):
    support_user.email = ""
    support_user.save()
    make_visit(start=datetime.date(2026, 3, 2), lead=support_user)
    output = run("--notify", "--today", "2026-04-18")
    assert mail.outbox == []
    assert "no email address" in output


def test_without_notify_nothing_is_sent(support_user):
    make_visit(start=datetime.date(2026, 3, 2), lead=support_user)
    run("--today", "2026-04-18")
    assert mail.outbox == []


def test_bad_days_is_a_one_line_error():
    with pytest.raises(CommandError, match="whole number"):
        run("--days", "soon")

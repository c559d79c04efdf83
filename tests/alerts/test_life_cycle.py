"""The whole alert life cycle with Django's locmem email: sign up, confirm, publish, send once,
send nothing more, unsubscribe in one click (RFC 8058)."""

import logging

import pytest
from django.core import mail
from django.core.management import call_command

from alerts.models import AlertEmail, SentPage, Subscription
from search.facets import MAX_QUERY_LENGTH

from .conftest import links, path_of

ADDRESS = "Practitioner.Alerts@example.org"
SEARCH = "/alerts/subscribe/?theme=housing"


@pytest.fixture
def confirmed(client, db):
    """A confirmed immediate alert on the Housing theme, signed up as a visitor would."""
    response = client.post(SEARCH, {"email": ADDRESS, "frequency": "immediately"})
    assert response.status_code == 303
    assert len(mail.outbox) == 1
    confirm_url = links(mail.outbox[0].body, "confirm")[0]
    mail.outbox.clear()
    call_command("send_alerts", verbosity=0)
    assert mail.outbox == []  # nothing is sent before the address is confirmed
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200 and b"Confirm" in page.content
    assert Subscription.objects.get().confirmed_at is None  # a link scanner's GET confirms nothing
    assert client.post(path_of(confirm_url)).status_code == 200
    return Subscription.objects.get()


def test_sign_up_page_describes_the_search(client, db):
    response = client.get(SEARCH + "&q=damp")
    assert response.status_code == 200
    assert "\u201cdamp\u201d; Theme: Housing" in response.content.decode()


def test_life_cycle(client, confirmed, publish_case_study, caplog):
    caplog.set_level(logging.DEBUG)
    assert confirmed.confirmed_at is not None and confirmed.email == ADDRESS.lower()
    matching = publish_case_study("Warm homes for new mothers in a test town", "housing")
    other = publish_case_study("A breastfeeding cafe in a test town", "breastfeeding")

    call_command("send_alerts", verbosity=0)
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert alert.to == [ADDRESS.lower()]
    assert alert.subject == "1 new or updated page for your search: Theme: Housing"
    assert "New: Case study: Warm homes for new mothers in a test town" in alert.body
    assert "match this search:\n\n  Theme: Housing\n" in alert.body  # why it arrived
    assert matching.url in alert.body and other.title not in alert.body
    unsubscribe_url = links(alert.body, "unsubscribe")[0]
    assert alert.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    call_command("send_alerts", verbosity=0)
    assert len(mail.outbox) == 1  # nothing new: nothing sent

    # an update to a page it was already sent is not sent again
    matching.title = "Warm homes for new mothers in a test town (updated)"
    matching.save_revision().publish()
    call_command("send_alerts", verbosity=0)
    assert len(mail.outbox) == 1
    assert SentPage.objects.filter(subscription_id=confirmed.pk).count() == 1

    # one click: the mail client POSTs the RFC 8058 body, with no cookie and no CSRF token
    response = client.post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists() and not AlertEmail.objects.exists()
    assert client.post(path_of(unsubscribe_url)).status_code == 200  # twice is still fine

    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert ADDRESS.lower() not in logged.lower()


def test_manage_page_changes_frequency_and_unsubscribes(client, confirmed, publish_case_study):
    publish_case_study("Warm homes for new mothers in a test town", "housing")
    call_command("send_alerts", verbosity=0)
    manage_path = path_of(links(mail.outbox[-1].body, "manage")[0])
    page = client.get(manage_path)
    assert page.status_code == 200 and b"Theme: Housing" in page.content
    assert ADDRESS.lower().encode() not in page.content
    client.post(
        manage_path, {"subscription": confirmed.pk, "action": "frequency", "frequency": "weekly"}
    )
    assert Subscription.objects.get().frequency == "weekly"
    assert client.post(manage_path, {"subscription": "x"}).status_code == 400
    client.post(manage_path, {"subscription": confirmed.pk, "action": "unsubscribe"})
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("purpose", ["confirm", "unsubscribe", "manage"])
def test_forged_or_mangled_links_say_so(client, db, purpose):
    response = client.get(f"/alerts/{purpose}/1:forged:signature/")
    assert response.status_code == 404
    assert b"This link has expired or is not valid" in response.content


def test_bad_sign_up_input_is_a_form_error(client, db):
    response = client.post(SEARCH, {"email": "not an address", "frequency": "hourly"})
    assert response.status_code == 400
    assert b"Enter an email address in the correct format" in response.content
    assert b"Select a valid choice" in response.content
    assert client.get("/alerts/subscribe/?q=" + "x" * (MAX_QUERY_LENGTH + 1)).status_code == 400
    assert mail.outbox == []


def test_sign_ups_are_rate_limited_per_address_and_per_client(client, db):
    for _ in range(5):
        client.post(SEARCH, {"email": ADDRESS, "frequency": "daily"})
    assert len(mail.outbox) == 3  # EMAIL_LIMIT a day to one address, whatever the form says
    for number in range(5):
        response = client.post(
            SEARCH, {"email": f"other{number}@example.org", "frequency": "daily"}
        )
        assert response.status_code == 303
    response = client.post(SEARCH, {"email": "another@example.org", "frequency": "daily"})
    assert response.status_code == 429  # the 11th sign-up in an hour from one client
    assert b"Too many sign-ups" in response.content
    assert len(mail.outbox) == 8


def test_unconfirmed_sign_ups_are_deleted_after_seven_days(client, db):
    client.post(SEARCH, {"email": ADDRESS, "frequency": "daily"})
    Subscription.objects.update(created_at="2020-01-01T00:00:00Z")
    call_command("send_alerts", verbosity=0)
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "page_url, description",
    [("/evidence/", "Theme: "), ("/areas/", "Area: ")],
)
def test_theme_and_area_pages_offer_email_alerts(client, db, page_url, description):
    from kb.models import AreaPage, EvidenceSummaryPage

    model = EvidenceSummaryPage if page_url == "/evidence/" else AreaPage
    pages = model.objects.live()
    page = pages.exclude(theme=None).first() if model is EvidenceSummaryPage else pages.first()
    html = client.get(page.url).content.decode()
    link = html.split('href="/alerts/subscribe/?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    signup = client.get("/alerts/subscribe/?" + link)
    assert signup.status_code == 200 and description in signup.content.decode()

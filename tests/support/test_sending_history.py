"""A sending's history: what it contained, sending the same snapshot again or to someone new,
and previewing a pack before it is sent. Real emails (Django's mail.outbox) throughout."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from kb.models import CaseStudyPage, ResourcePage
from support.models import PackSending
from tests.editorial.admin_forms import form_data

from .conftest import make_pack, make_visit

pytestmark = pytest.mark.django_db

RECIPIENTS = "Ada Area <ada@example.org>\nBen Borough <ben@example.org>"


def text_of(response):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def sent(support_client):
    """A pack of three items with notes, sent to two people; then the pack is edited."""
    pages = list(ResourcePage.objects.live().order_by("pk")[:2]) + [
        CaseStudyPage.objects.live().order_by("pk").first()
    ]
    pack = make_pack(make_visit(), pages=pages)
    response = support_client.post(
        reverse("support-pack-send", args=[pack.pk]),
        {"recipients": RECIPIENTS, "send_key": "first", "expires_on": ""},
    )
    assert response.status_code == 302
    sending = PackSending.objects.get()
    mail.outbox.clear()
    # After sending, the team edits the pack: a new note, an item gone, a new title.
    first = pack.items.get(sort_order=0)
    first.note = "A note written after sending"
    first.save()
    pack.items.filter(sort_order=2).delete()
    pack.title = "A pack renamed after sending"
    pack.save()
    return pack, sending, pages


def resend(client, sending, key="again", **data):
    return client.post(
        reverse("support-sending-resend", args=[sending.pk]),
        {"send_key": key, "expires_on": "", "recipients": "", **data},
    )


def test_the_sendings_page_shows_exactly_what_was_sent(support_client, sent):
    pack, sending, pages = sent
    page = text_of(support_client.get(reverse("support-sending", args=[sending.pk])))
    # Every item, in the order sent, with its note and full link; the recipients, who and when.
    positions = [page.index(p.title) for p in pages]
    assert positions == sorted(positions)
    for n, page_ in enumerate(pages):
        assert f"Note {n}" in page
        assert f"http://testserver{page_.url}" in page
    assert "A note written after sending" not in page
    assert sending.snapshot["title"] in page
    assert "Ada Area" in page and "ben@example.org" in page
    assert "Sam Tester" in page
    assert sending.sent_at.strftime("%-d %B %Y") in page


def test_sending_again_carries_the_old_snapshot_after_the_pack_was_edited(support_client, sent):
    pack, sending, pages = sent
    response = resend(support_client, sending, again=["ada@example.org"])
    assert response.status_code == 302
    again = PackSending.objects.exclude(pk=sending.pk).get()
    assert response["Location"] == reverse("support-sending", args=[again.pk])
    assert again.snapshot == sending.snapshot
    assert again.recipients == [{"name": "Ada Area", "email": "ada@example.org"}]
    assert again.resent_from == sending
    assert again.token != sending.token
    assert again.sent_by.username == "sam"
    # One real email, to Ada only, with the old title, notes and items and the new link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ada Area <ada@example.org>"]
    assert f"http://testserver/packs/{again.token}/" in message.body
    assert sending.snapshot["title"] in message.subject
    assert "Note 0" in message.body and "Note 2" in message.body
    assert pages[2].title in message.body
    assert "A note written after sending" not in message.body
    assert "renamed" not in message.body + message.subject
    # Its share page is the old snapshot too; the first link still works.
    share = support_client.get(f"/packs/{again.token}/").content.decode()
    assert "Note 2" in share and "A note written after sending" not in share
    assert support_client.get(f"/packs/{sending.token}/").status_code == 200
    entry = ModelLogEntry.objects.get(action="support.resend", object_id=str(pack.pk))
    assert entry.data == {"sending": again.pk, "resent_from": sending.pk, "recipients": 1}


def test_adding_a_recipient_creates_a_new_sending(support_client, sent):
    pack, sending, _ = sent
    response = resend(support_client, sending, recipients="Cara County <cara@example.org>")
    assert response.status_code == 302
    assert PackSending.objects.count() == 2
    added = PackSending.objects.exclude(pk=sending.pk).get()
    assert added.recipients == [{"name": "Cara County", "email": "cara@example.org"}]
    assert added.snapshot == sending.snapshot
    sending.refresh_from_db()
    assert [r["email"] for r in sending.recipients] == ["ada@example.org", "ben@example.org"]
    assert [m.to for m in mail.outbox] == [["Cara County <cara@example.org>"]]
    # Both are listed on the first sending's page, and the new one says where it came from.
    history = text_of(support_client.get(reverse("support-sending", args=[sending.pk])))
    assert "Cara County" in history
    added_page = text_of(support_client.get(reverse("support-sending", args=[added.pk])))
    assert "Sent again from the sending of" in added_page


def test_a_second_click_sends_again_only_once(support_client, sent):
    _, sending, _ = sent
    first = resend(support_client, sending, key="same", again=["ben@example.org"])
    second = resend(support_client, sending, key="same", again=["ben@example.org"])
    assert first["Location"] == second["Location"]
    assert PackSending.objects.count() == 2
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Tick a recipient to send it to again, or add one."),
        ({"recipients": "cara@example.org"}, "Line 1: give the recipient"),
        ({"again": ["someone@else.org"]}, "Select a valid choice"),
        ({"again": ["ada@example.org"], "expires_on": "2020-01-01"}, "already past"),
    ],
)
def test_bad_resend_input_is_a_form_error(support_client, sent, data, message):
    _, sending, _ = sent
    response = resend(support_client, sending, **data)
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert PackSending.objects.count() == 1
    assert mail.outbox == []


def test_the_sendings_page_offers_sending_again_from_a_form(support_client, sent):
    _, sending, _ = sent
    url = reverse("support-sending", args=[sending.pk])
    html = support_client.get(url).content.decode()
    data = form_data(html, form_id="send-again")
    assert "again" not in data  # nothing ticked to start with
    data["again"] = ["ben@example.org"]
    response = support_client.post(reverse("support-sending-resend", args=[sending.pk]), data)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["Ben Borough <ben@example.org>"]]


def test_the_preview_shows_the_pack_and_its_email_and_sends_nothing(support_client):
    pages = list(ResourcePage.objects.live().order_by("pk")[:2])
    pack = make_pack(make_visit(), pages=pages)
    pack.introduction = "Resources we discussed."
    pack.save()
    response = support_client.get(reverse("support-pack-preview", args=[pack.pk]))
    assert response.status_code == 200
    page = text_of(response)
    html = response.content.decode()
    # The share page's rendering: the title, every item with its note and link...
    assert pack.title in page and "Resources we discussed." in page
    for n, page_ in enumerate(pages):
        assert f'href="http://testserver{page_.url}"' in html
        assert f"Why this matters for you: Note {n}" in page
    assert "Preview" in page and "Nothing has been sent" in page
    # ...and the email, as each recipient gets it (subject, sender, body with the notes).
    assert f"Signposting pack: {pack.title}" in page
    assert "Reply-To: sam@example.org" in page
    email = re.search(r"<pre[^>]*>(.*?)</pre>", html, re.S).group(1)
    assert "Note 0" in unescape(email) and "Note 1" in unescape(email)
    # No sending, no email, no live link.
    pdf = support_client.get(reverse("support-pack-preview-pdf", args=[pack.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert not PackSending.objects.exists()
    assert mail.outbox == []
    assert not re.search(r"/packs/[A-Za-z0-9_-]{43}/", html)


def test_the_preview_of_an_empty_pack_says_so(support_client):
    pack = make_pack(make_visit(), pages=[])
    response = support_client.get(reverse("support-pack-preview", args=[pack.pk]))
    assert response.status_code == 200
    assert "no published items" in response.content.decode()
    pdf = support_client.get(reverse("support-pack-preview-pdf", args=[pack.pk]))
    assert pdf.status_code == 404

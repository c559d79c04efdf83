"""Packs: suggestions from search, sending (snapshot, email, one send per click), the share page,
the PDF, and revoking or expiring the link."""

import datetime
import io
import logging
import re

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from kb.models import Area, CaseStudyPage, EvidenceSummaryPage, ResourcePage
from support.forms import parse_recipients
from support.models import Pack, PackSending
from support.suggestions import suggest

from .conftest import make_pack, make_visit, theme

pytestmark = pytest.mark.django_db

RECIPIENTS = "Ada Area <ada@example.org>\nBen Borough, ben@example.org"


# --- Suggestions -------------------------------------------------------------------------


def test_sandwell_suggestions_follow_the_teams_order():
    visit = make_visit("sandwell", ("ethnicity", "teenage-pregnancy-and-young-parents"))
    suggestions = suggest(visit.topics(), visit.area)
    assert len({s.page_id for s in suggestions}) == len(suggestions), "no duplicates"
    kinds = [s.type_key for s in suggestions]
    # Case studies first, then resources and evidence summaries, then child poverty resources.
    last_case_study = max(i for i, kind in enumerate(kinds) if kind == "case_study")
    first_other = min(i for i, kind in enumerate(kinds) if kind != "case_study")
    assert last_case_study < first_other

    by_topic = {}
    for s in suggestions:
        by_topic.setdefault(s.topic_name, []).append(s)
    for slug in ("ethnicity", "teenage-pregnancy-and-young-parents"):
        name = theme(slug).name
        assert any(s.type_key == "case_study" for s in by_topic[name]), name
        assert any(s.type_key in ("resource", "evidence_summary") for s in by_topic[name]), name
        for s in by_topic[name]:
            assert name in s.reason
            page = s.page_id
            assert (
                CaseStudyPage.objects.filter(pk=page, themes__slug=slug).exists()
                or ResourcePage.objects.filter(pk=page, themes__slug=slug).exists()
                or EvidenceSummaryPage.objects.filter(pk=page, theme__slug=slug).exists()
            ), s.title

    child_poverty = ResourcePage.objects.live().filter(themes__slug="child-poverty")
    assert child_poverty.count() >= 2
    suggested_ids = [s.page_id for s in suggestions]
    for resource in child_poverty:
        assert resource.pk in suggested_ids, resource.title
    # The ones only child poverty brings in come last, with a reason that says so.
    tail = suggestions[-1]
    assert tail.topic_name == "Child poverty"
    assert "child poverty" in tail.reason.lower()

    # Topic by topic: every ethnicity resource or summary comes before the teenage pregnancy ones.
    others = [
        s for s in suggestions if s.type_key != "case_study" and s.topic_name != "Child poverty"
    ]
    topic_order = [s.topic_name for s in others]
    assert topic_order == sorted(topic_order, key=[t.name for t in visit.topics()].index)


def test_case_studies_from_the_area_come_first():
    area = Area.objects.get(slug="kirklees")
    local = CaseStudyPage.objects.live().filter(areas=area).prefetch_related("themes").first()
    assert local is not None, "the fixtures have a Kirklees case study"
    topic = local.themes.all()[0]
    suggestions = suggest([topic], area)
    assert suggestions[0].type_key == "case_study"
    assert suggestions[0].reason.startswith("Case study from Kirklees")
    local_ids = {s.page_id for s in suggestions if s.reason.startswith("Case study from Kirklees")}
    assert local.pk in local_ids
    assert all(
        CaseStudyPage.objects.get(pk=pk).areas.filter(pk=area.pk).exists() for pk in local_ids
    )


def test_a_topic_with_nothing_tagged_suggests_nothing_for_it():
    suggestions = suggest([theme("immunisation")], None)
    assert all(s.topic_name != "Immunisation" for s in suggestions)


def test_suggestions_page_adds_the_ticked_items_with_their_reason(support_client):
    visit = make_visit()
    pack = Pack.objects.create(title="Sandwell pack", area=visit.area, visit=visit)
    page = support_client.get(reverse("support-pack-suggestions", args=[pack.pk]))
    assert page.status_code == 200
    ids = re.findall(r'name="suggestion" value="(\d+)"', page.content.decode())
    assert len(ids) > 3
    response = support_client.post(
        reverse("support-pack-suggestions", args=[pack.pk]), {"suggestion": ids[:3]}
    )
    assert response.status_code == 302
    items = list(pack.items.order_by("sort_order"))
    assert [str(item.page_id) for item in items] == ids[:3]
    assert all(item.reason and item.topic_id for item in items)
    assert ModelLogEntry.objects.filter(object_id=str(pack.pk), action="wagtail.edit").exists()


# --- Sending -----------------------------------------------------------------------------


def send(client, pack, recipients=RECIPIENTS, key="key-1", expires_on=""):
    return client.post(
        reverse("support-pack-send", args=[pack.pk]),
        {"recipients": recipients, "send_key": key, "expires_on": expires_on},
    )


def test_sending_emails_each_recipient_the_share_link(support_client):
    pack = make_pack(make_visit())
    response = send(support_client, pack)
    sending = PackSending.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support-sending", args=[sending.pk])
    assert len(mail.outbox) == 2
    share_url = f"http://testserver/packs/{sending.token}/"
    for message, address in zip(mail.outbox, ["ada@example.org", "ben@example.org"], strict=True):
        assert len(message.to) == 1 and address in message.to[0]
        assert share_url in message.body
        assert pack.title in message.subject
    assert sending.recipients == [
        {"name": "Ada Area", "email": "ada@example.org"},
        {"name": "Ben Borough", "email": "ben@example.org"},
    ]
    assert sending.emails_sent == 2
    assert len(sending.token) >= 43  # 32 random bytes: 256 bits
    entry = ModelLogEntry.objects.get(action="support.send", object_id=str(pack.pk))
    assert entry.data == {"sending": sending.pk, "recipients": 2}


def test_a_second_click_on_send_sends_nothing_more(support_client):
    pack = make_pack(make_visit())
    first = send(support_client, pack, key="same")
    second = send(support_client, pack, key="same")
    assert first["Location"] == second["Location"]
    assert PackSending.objects.count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "recipients, message",
    [
        ("", "Add at least one recipient"),
        ("Ada Area <not-an-address>", "Line 1: that is not a valid email address."),
        ("ada@example.org", "Line 1: give the recipient"),
    ],
)
def test_bad_recipients_are_a_form_error(support_client, recipients, message):
    pack = make_pack(make_visit())
    response = send(support_client, pack, recipients=recipients)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PackSending.objects.exists()
    assert not mail.outbox


def test_sending_an_empty_pack_is_refused(support_client):
    pack = make_pack(make_visit(), pages=[])
    response = send(support_client, pack)
    assert response.status_code == 200
    assert "no published items to send" in response.content.decode()
    assert not PackSending.objects.exists()


def test_recipients_never_reach_the_logs(support_client, caplog, settings):
    settings.EMAIL_BACKEND = "tests.support.failing_mail.RefusingBackend"
    pack = make_pack(make_visit())
    with caplog.at_level(logging.DEBUG):
        response = send(support_client, pack)
    assert response.status_code == 302
    sending = PackSending.objects.get()
    assert sending.delivery_error  # recorded, and the link still works
    assert support_client.get(f"/packs/{sending.token}/").status_code == 200
    logged = caplog.text
    assert "ada@example.org" not in logged and "Ada Area" not in logged
    assert "ben@example.org" not in logged and "Ben Borough" not in logged
    assert f"pack sending {sending.pk}" in logged


def test_parse_recipients_accepts_both_forms_and_drops_repeats():
    recipients, errors = parse_recipients(
        'Ada Area <ada@example.org>\n\nAda Again <ADA@example.org>\n"Zoë Ó", zoe@example.org'
    )
    assert errors == []
    assert recipients == [
        {"name": "Ada Area", "email": "ada@example.org"},
        {"name": "Zoë Ó", "email": "zoe@example.org"},
    ]


# --- Snapshot, share page and PDF --------------------------------------------------------


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, text.replace("\n", "")


def test_after_sending_edits_change_nothing_that_was_sent(support_client):
    resource = ResourcePage.objects.live().filter(themes__slug="child-poverty").first()
    study = CaseStudyPage.objects.live().first()
    pack = make_pack(make_visit(), pages=[resource, study])
    send(support_client, pack)
    sending = PackSending.objects.get()
    share = support_client.get(f"/packs/{sending.token}/")
    pdf = support_client.get(f"/packs/{sending.token}/pdf/")
    original_title = resource.title

    resource.title = "A renamed resource"
    resource.save_revision().publish()
    item = pack.items.get(page=study)
    item.note = "Changed note"
    item.save()
    pack.items.filter(page=resource).delete()
    pack.title = "A renamed pack"
    pack.save()

    share_after = support_client.get(f"/packs/{sending.token}/")
    pdf_after = support_client.get(f"/packs/{sending.token}/pdf/")
    assert share_after.content == share.content
    assert pdf_text(pdf_after.content) == pdf_text(pdf.content)
    page = share_after.content.decode()
    assert original_title.replace("'", "&#x27;") in page or original_title in page
    assert "A renamed resource" not in page
    assert "Changed note" not in page


def test_share_page_is_noindex_and_lists_every_item(support_client):
    pack = make_pack(make_visit())
    send(support_client, pack)
    sending = PackSending.objects.get()
    response = support_client.get(f"/packs/{sending.token}/")
    page = response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in page
    assert 'rel="canonical"' not in page
    for group in sending.snapshot["groups"]:
        for item in group["items"]:
            assert item["url"].startswith("http://testserver/")
            assert f'href="{item["url"]}"' in page
    assert "Ada Area" not in page and "ada@example.org" not in page


def test_pdf_holds_every_title_and_full_url(support_client):
    pages = list(ResourcePage.objects.live().order_by("pk")[:3]) + list(
        CaseStudyPage.objects.live().order_by("pk")[:2]
    )
    pack = make_pack(make_visit(), pages=pages)
    send(support_client, pack)
    sending = PackSending.objects.get()
    response = support_client.get(f"/packs/{sending.token}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text, joined = pdf_text(response.content)
    for group in sending.snapshot["groups"]:
        for item in group["items"]:
            assert " ".join(item["title"].split()) in " ".join(text.split()), item["title"]
            assert item["url"] in joined, item["url"]


def test_pdf_survives_characters_outside_latin_1(support_client):
    page = ResourcePage.objects.live().first()
    page.title = "Zdrowie matki – 母子健康 ✓ “quoted”"
    page.save_revision().publish()
    pack = make_pack(make_visit(), pages=[page])
    send(support_client, pack)
    sending = PackSending.objects.get()
    response = support_client.get(f"/packs/{sending.token}/pdf/")
    assert response.status_code == 200
    text, _ = pdf_text(response.content)
    assert "Zdrowie matki –" in text
    assert "“quoted”" in text


# --- Links -------------------------------------------------------------------------------


def test_revoking_the_link_gives_410_for_page_and_pdf(support_client):
    pack = make_pack(make_visit())
    send(support_client, pack)
    sending = PackSending.objects.get()
    support_client.post(reverse("support-sending-revoke", args=[sending.pk]))
    for url in (f"/packs/{sending.token}/", f"/packs/{sending.token}/pdf/"):
        response = support_client.get(url)
        assert response.status_code == 410
        assert "withdrawn" in response.content.decode()
        assert pack.items.first().page.title not in response.content.decode()
    assert ModelLogEntry.objects.filter(action="support.revoke").exists()


def test_an_expired_link_gives_410(support_client):
    pack = make_pack(make_visit())
    today = datetime.date.today()
    send(support_client, pack, expires_on=(today + datetime.timedelta(days=30)).isoformat())
    sending = PackSending.objects.get()
    assert support_client.get(f"/packs/{sending.token}/").status_code == 200
    support_client.post(
        reverse("support-sending-expiry", args=[sending.pk]),
        {"expires_on": (today - datetime.timedelta(days=1)).isoformat()},
    )
    response = support_client.get(f"/packs/{sending.token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert support_client.get(f"/packs/{sending.token}/pdf/").status_code == 410


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 200, "%00abc", "ab.cd"])
def test_unknown_tokens_get_a_clear_404(client, token):
    for suffix in ("", "pdf/"):
        response = client.get(f"/packs/{token}/{suffix}")
        assert response.status_code == 404
        assert "Pack not found" in response.content.decode()
        assert response["X-Robots-Tag"].startswith("noindex")


def test_a_sent_pack_and_its_sendings_are_never_deleted(support_client):
    pack = make_pack(make_visit())
    send(support_client, pack)
    sending = PackSending.objects.get()
    support_client.post(reverse("support_packs:delete", args=[pack.pk]))
    support_client.post(reverse("support_sendings:delete", args=[sending.pk]))
    assert Pack.objects.filter(pk=pack.pk).exists()
    assert PackSending.objects.filter(pk=sending.pk).exists()
    # Deleting the visit keeps the pack and what was sent.
    support_client.post(reverse("support_visits:delete", args=[pack.visit_id]))
    assert PackSending.objects.filter(pk=sending.pk).exists()


def test_share_pages_are_in_no_sitemap_feed_or_search(client, support_client):
    pack = make_pack(make_visit())
    send(support_client, pack)
    token = PackSending.objects.get().token
    for url in (
        "/sitemap.xml",
        "/feeds/latest.atom",
        "/search/?q=" + pack.title,
        "/api/search?q=pack",
    ):
        response = client.get(url)
        assert token not in response.content.decode(), url
        assert "/packs/" not in response.content.decode(), url


def test_sendings_cannot_be_made_or_copied_by_hand(support_client, users):
    pack = make_pack(make_visit())
    send(support_client, pack)
    sending = PackSending.objects.get()
    for client_user in (users["support"], users["superuser"]):
        support_client.force_login(client_user)
        response = support_client.get("/admin/support/sendings/add/")
        assert response.status_code == 302
        response = support_client.post("/admin/support/sendings/add/", {"expires_on": ""})
        assert response.status_code == 302
        assert support_client.get(f"/admin/support/sendings/copy/{sending.pk}/").status_code == 404
    assert PackSending.objects.count() == 1

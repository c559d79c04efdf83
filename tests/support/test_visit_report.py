"""The visit report and pack items tied to recommendations (issue 23, after a visit: 1 and 6).

Through the real admin forms and views: the rules a form checks, the report page, its PDF (read
back as text), the email to the area's lead contacts, and the frozen copy each sending keeps.
"""

import io
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from kb.models import CaseStudyPage, ResourcePage
from support.models import (
    FollowUp,
    PackItem,
    PackSending,
    Recommendation,
    SentReport,
    Visit,
)
from tests.editorial.admin_forms import form_data

from .conftest import first_category, make_pack, make_visit, theme
from .test_visits import form_errors, post_visit, visit_data

pytestmark = pytest.mark.django_db

LEAD_CONTACTS = "Dana Director <dana@example.org>\nEli Lead <eli@example.org>"


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pack_form(client, pack):
    url = reverse("support_packs:edit", args=[pack.pk])
    return url, form_data(client.get(url).content.decode(), form_id="w-editor-form")


def recommend(visit, text, *, priority="high", owner_role="Director of Public Health"):
    return Recommendation.objects.create(
        visit=visit,
        text=text,
        theme=theme("strategic-approaches"),
        category=first_category("strategic-approaches"),
        priority=priority,
        owner_role=owner_role,
    )


# --- The area's lead contacts, on the visit ----------------------------------------------


def test_lead_contacts_are_a_name_and_an_address_a_line(support_client):
    text = form_errors(post_visit(support_client, visit_data(lead_contacts="dana at example")))
    assert "Line 1: that is not a valid email address." in text
    assert not Visit.objects.exists()

    response = post_visit(support_client, visit_data(lead_contacts=LEAD_CONTACTS))
    assert response.status_code == 302
    assert Visit.objects.get().lead_contacts == LEAD_CONTACTS


# --- 6. A pack item names the recommendation it supports -----------------------------------


def test_a_pack_item_offers_only_its_visits_recommendations(support_client):
    visit = make_visit()
    own = recommend(visit, "Write a single infant mortality plan")
    recommend(make_visit("kirklees"), "A Kirklees recommendation")
    pack = make_pack(visit)
    page = support_client.get(reverse("support_packs:edit", args=[pack.pk])).content.decode()
    assert "Write a single infant mortality plan" in page
    assert "A Kirklees recommendation" not in page

    url, data = pack_form(support_client, pack)
    data["items-0-recommendation"] = [str(own.pk)]
    response = support_client.post(url, data)
    assert response.status_code == 302
    assert pack.items.order_by("sort_order").first().recommendation == own


def test_a_recommendation_of_another_visit_is_a_form_error(support_client):
    visit = make_visit()
    other = recommend(make_visit("kirklees"), "A Kirklees recommendation")
    pack = make_pack(visit)
    url, data = pack_form(support_client, pack)
    data["items-0-recommendation"] = [str(other.pk)]
    text = form_errors(support_client.post(url, data))
    assert "is a recommendation of another visit" in text
    assert str(visit) in text
    assert not PackItem.objects.filter(recommendation=other).exists()


def test_a_pack_with_no_visit_names_no_recommendation(support_client):
    other = recommend(make_visit("kirklees"), "A Kirklees recommendation")
    pack = make_pack(None, area="sandwell")
    url, data = pack_form(support_client, pack)
    data["items-0-recommendation"] = [str(other.pk)]
    text = form_errors(support_client.post(url, data))
    assert "for an area not visited" in text
    assert not PackItem.objects.filter(recommendation=other).exists()


# --- 1. The visit report -----------------------------------------------------------------

STRENGTHS = "A joint infant mortality group meets every month"
TEAM_NOTE = "Team-only note about the visit"


@pytest.fixture
def visited(support_user):
    """A visit with what a report holds: people seen, strengths, two recommendations, the
    agreed support and a pack whose first item supports the first recommendation."""
    visit = make_visit(lead=support_user)
    visit.strengths = STRENGTHS
    visit.notes = TEAM_NOTE
    visit.people_seen = ["director_of_public_health", "lscb_chair"]
    visit.people_seen_other = "Head of midwifery"
    visit.lead_contacts = LEAD_CONTACTS
    visit.save()
    plan = recommend(visit, "Write a single infant mortality plan", priority="high")
    scorecard = recommend(
        visit, "Build a local scorecard", priority="low", owner_role="Head of information"
    )
    package = visit.follow_ups.get(kind=FollowUp.Kind.PACKAGE)
    package.notes = "Two workshops on the scorecard"
    package.save()
    resource = ResourcePage.objects.live().order_by("pk").first()
    study = CaseStudyPage.objects.live().order_by("pk").first()
    pack = make_pack(visit, pages=[resource, study])
    pack.items.filter(page=resource).update(recommendation=plan)
    return {
        "visit": visit,
        "plan": plan,
        "scorecard": scorecard,
        "package": package,
        "assessment": visit.follow_ups.get(kind=FollowUp.Kind.SELF_ASSESSMENT),
        "pack": pack,
        "resource": resource,
        "study": study,
    }


def report_url(visit):
    return reverse("support-visit-report", args=[visit.pk])


def what_a_report_holds(v):
    """The texts the report shows, whatever its form (page, PDF, email)."""
    day = "{:%-d %B %Y}".format
    return [
        "Sandwell",
        day(v["visit"].start_date),
        day(v["visit"].end_date),
        "Sam Tester",
        "Director of public health",
        "Head of midwifery",
        "Ethnicity",
        STRENGTHS,
        v["plan"].text,
        "High",
        "Director of Public Health",
        v["scorecard"].text,
        "Low",
        "Head of information",
        "Follow-up support package",
        day(v["package"].due_date),
        "Two workshops on the scorecard",
        day(v["assessment"].due_date),
        v["pack"].title,
        v["resource"].title,
        f"http://testserver{v['resource'].url}",
        v["study"].title,
    ]


def ties_shown(v):
    """Item 6: the pack item says which recommendation it supports, and the recommendation
    which pack item supports it."""
    return [
        f"Supports the recommendation: {v['plan'].text}",
        f"In the pack: {v['resource'].title}",
    ]


def test_the_report_page_holds_the_teams_written_output(support_client, visited):
    response = support_client.get(report_url(visited["visit"]))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    for text in what_a_report_holds(visited):
        assert text in page, text
    for text in ties_shown(visited):
        assert text in page, text
    assert TEAM_NOTE not in page  # the team's own notes stay in the workspace
    assert "Not sent yet" in page


def test_the_report_pdf_holds_the_same_in_the_packs_font(support_client, visited):
    response = support_client.get(reverse("support-visit-report-pdf", args=[visited["visit"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in what_a_report_holds(visited):
        assert expected in text, expected
    for tie in ties_shown(visited):
        assert tie in text, tie
    assert TEAM_NOTE not in text
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(response.content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Roboto" in font for font in fonts), fonts


def send_report(client, visit, **overrides):
    url = report_url(visit)
    data = form_data(client.get(url).content.decode(), form_id="send-report")
    data.update(overrides)
    return client.post(url, data)


def test_sending_emails_each_lead_contact_with_the_report_and_its_pdf(
    support_client, support_user, settings, visited
):
    visit = visited["visit"]
    page = support_client.get(report_url(visit)).content.decode()
    assert "dana@example.org" in page  # the send form starts with the visit's lead contacts

    response = send_report(support_client, visit)
    report = SentReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support-sent-report", args=[report.pk])
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Dana Director <dana@example.org>",
        "Eli Lead <eli@example.org>",
    ]
    message = mail.outbox[0]
    assert message.reply_to == [support_user.email]
    assert "Sam Tester" in message.from_email and settings.DEFAULT_FROM_EMAIL in message.from_email
    assert "Sandwell" in message.subject
    body = " ".join(message.body.split())
    for text in what_a_report_holds(visited):
        assert text in body, text
    for text in ties_shown(visited):
        assert text in body, text
    assert TEAM_NOTE not in body
    assert "eli@example.org" not in mail.outbox[0].body  # nobody sees the others' addresses
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert visited["plan"].text in pdf_text(content)
    assert report.emails_sent == 2 and report.sent_by == support_user


def test_a_sent_report_is_frozen(support_client, visited):
    visit, plan = visited["visit"], visited["plan"]
    send_report(support_client, visit)
    report = SentReport.objects.get()
    shown = support_client.get(reverse("support-sent-report", args=[report.pk]))
    pdf = support_client.get(reverse("support-sent-report-pdf", args=[report.pk]))
    assert STRENGTHS in unescape(shown.content.decode())

    plan.text = "A rewritten recommendation"
    plan.save()
    visit.strengths = "Rewritten strengths"
    visit.save()
    visited["package"].notes = "Rewritten support"
    visited["package"].save()
    visited["pack"].items.all().delete()

    live = unescape(support_client.get(report_url(visit)).content.decode())
    assert "Rewritten strengths" in live and "A rewritten recommendation" in live
    after = unescape(
        support_client.get(reverse("support-sent-report", args=[report.pk])).content.decode()
    )
    for text in what_a_report_holds(visited)[:8]:
        assert text in after, text
    assert "Write a single infant mortality plan" in after
    assert visited["resource"].title in after and "Two workshops on the scorecard" in after
    assert "Rewritten" not in after and "A rewritten recommendation" not in after
    after_pdf = support_client.get(reverse("support-sent-report-pdf", args=[report.pk]))
    assert pdf_text(after_pdf.content) == pdf_text(pdf.content)


def test_the_workspace_lists_the_sent_reports_as_sent(support_client, visited):
    visit = visited["visit"]
    send_report(support_client, visit)
    report = SentReport.objects.get()
    shown = unescape(
        support_client.get(reverse("support-sent-report", args=[report.pk])).content.decode()
    )
    assert f"Sent on {report.sent_at:%-d %B %Y} by Sam Tester" in shown
    assert "Dana Director" in shown and "Eli Lead" in shown
    for url in (
        report_url(visit),
        reverse("support-sent-reports"),
        reverse("support-area", args=[visit.area_id]),
    ):
        listing = support_client.get(url).content.decode()
        assert reverse("support-sent-report", args=[report.pk]) in listing, url
        assert "to 2 lead contacts" in listing, url


def test_a_second_click_sends_the_report_once(support_client, visited):
    visit = visited["visit"]
    url = report_url(visit)
    data = form_data(support_client.get(url).content.decode(), form_id="send-report")
    support_client.post(url, data)
    support_client.post(url, data)
    assert SentReport.objects.count() == 1 and len(mail.outbox) == 2


def test_a_report_with_no_recipient_is_a_form_error(support_client, visited):
    text = form_errors(send_report(support_client, visited["visit"], recipients=[""]))
    assert "Add at least one recipient" in text
    assert not SentReport.objects.exists() and not mail.outbox


def test_a_mail_failure_keeps_the_sent_report_and_says_so(support_client, settings, visited):
    settings.EMAIL_BACKEND = "tests.support.failing_mail.RefusingBackend"
    response = send_report(support_client, visited["visit"])
    report = SentReport.objects.get()
    assert report.emails_sent == 0 and "could not be sent" in report.delivery_error
    page = support_client.get(response["Location"]).content.decode()
    assert "could not be sent" in page


def test_the_visit_links_to_its_report(support_client, visited):
    visit = visited["visit"]
    page = support_client.get(reverse("support_visits:edit", args=[visit.pk])).content.decode()
    assert report_url(visit) in page


# --- 6. The share page and the pack's PDF show the recommendation --------------------------


def test_the_share_page_and_pdf_show_the_recommendation_as_sent(support_client, visited):
    pack, plan = visited["pack"], visited["plan"]
    support_client.post(
        reverse("support-pack-send", args=[pack.pk]),
        {"recipients": "Ada Area <ada@example.org>", "send_key": "rec-key", "expires_on": ""},
    )
    sending = PackSending.objects.get()
    share = unescape(support_client.get(f"/packs/{sending.token}/").content.decode())
    assert f"Supports the recommendation: {plan.text}" in share
    pdf = pdf_text(support_client.get(f"/packs/{sending.token}/pdf/").content)
    assert f"Supports the recommendation: {plan.text}" in pdf
    assert f"Supports the recommendation: {plan.text}" in " ".join(mail.outbox[0].body.split())
    sent_page = support_client.get(reverse("support-sending", args=[sending.pk]))
    assert f"Supports the recommendation: {plan.text}" in unescape(sent_page.content.decode())

    plan.text = "A rewritten recommendation"
    plan.save()
    share_after = unescape(support_client.get(f"/packs/{sending.token}/").content.decode())
    assert "Write a single infant mortality plan" in share_after
    assert "A rewritten recommendation" not in share_after


def test_deleting_a_visit_keeps_its_sent_reports(support_client, visited):
    visit = visited["visit"]
    send_report(support_client, visit)
    report = SentReport.objects.get()
    response = support_client.post(reverse("support_visits:delete", args=[visit.pk]))
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=visit.pk).exists()
    page = unescape(
        support_client.get(reverse("support-sent-report", args=[report.pk])).content.decode()
    )
    assert "the visit has since been deleted" in page
    assert visited["plan"].text in page and STRENGTHS in page

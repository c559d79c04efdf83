"""The defects a new team member met in the workspace (issue 23), each through the real views."""

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kb.charts import format_number
from kb.models import CaseStudyPage, ResourcePage, Theme
from support.models import FollowUp, PackSending, Visit
from tests.editorial.admin_forms import form_data

from .conftest import make_pack, make_visit
from .test_visits import form_errors, post_visit, visit_data

pytestmark = pytest.mark.django_db

RECIPIENTS = "Ada Area <ada@example.org>\nBen Borough <ben@example.org>"


def send(client, pack, expires_on="", key="fix-key"):
    return client.post(
        reverse("support-pack-send", args=[pack.pk]),
        {"recipients": RECIPIENTS, "send_key": key, "expires_on": expires_on},
    )


# --- 3. An expiry date already past ------------------------------------------------------


def test_sending_with_an_expiry_already_past_is_a_form_error(support_client):
    pack = make_pack(make_visit())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page = form_errors(send(support_client, pack, expires_on=yesterday.isoformat()))
    assert "already past" in page
    assert not PackSending.objects.exists()
    assert mail.outbox == []


def test_sending_with_an_expiry_today_or_later_is_fine(support_client):
    pack = make_pack(make_visit())
    response = send(support_client, pack, expires_on=timezone.localdate().isoformat())
    assert response.status_code == 302
    assert PackSending.objects.get().expires_on == timezone.localdate()


# --- 4. Revoking asks first, naming who loses access --------------------------------------


def test_revoking_asks_first_and_names_who_loses_access(support_client):
    pack = make_pack(make_visit())
    send(support_client, pack)
    sending = PackSending.objects.get()
    detail = support_client.get(reverse("support-sending", args=[sending.pk])).content.decode()
    revoke_url = reverse("support-sending-revoke", args=[sending.pk])
    # The sending's page links to the question; it holds no one-click revoke form.
    assert f'action="{revoke_url}"' not in detail
    assert f'href="{revoke_url}"' in detail
    question = support_client.get(revoke_url)
    assert question.status_code == 200
    text = question.content.decode()
    assert "Ada Area" in text and "Ben Borough" in text
    assert "will no longer" in text
    sending.refresh_from_db()
    assert sending.revoked_at is None
    support_client.post(revoke_url)
    sending.refresh_from_db()
    assert sending.revoked_at is not None


# --- 5. The same page twice in a pack -----------------------------------------------------


def test_a_pack_refuses_the_same_page_twice(support_client):
    page = ResourcePage.objects.live().order_by("pk").first()
    pack = make_pack(make_visit(), pages=[page, CaseStudyPage.objects.live().first()])
    url = reverse("support_packs:edit", args=[pack.pk])
    data = form_data(support_client.get(url).content.decode(), form_id="w-editor-form")
    data = {k: v for k, v in data.items() if k != "items-1-page"}
    data["items-1-page"] = [str(page.pk)]
    response = support_client.post(url, data)
    text = form_errors(response)
    assert f"{page.title}" in text and "more than once" in text
    assert sorted(pack.items.values_list("page_id", flat=True)) != [page.pk, page.pk]


# --- 6. No autosave in the workspace ------------------------------------------------------


def test_workspace_forms_save_only_when_the_team_saves(support_client):
    visit = make_visit(recommendations=1)
    pack = make_pack(visit)
    for url in (
        reverse("support_visits:edit", args=[visit.pk]),
        reverse("support_visits:add"),
        reverse("support_packs:edit", args=[pack.pk]),
        reverse("support_recommendations:edit", args=[visit.recommendations.first().pk]),
    ):
        page = support_client.get(url).content.decode()
        assert 'id="w-editor-form"' in page, url
        assert not re.search(r'data-controller="[^"]*w-autosave', page), url


# --- 9. The smaller ones ------------------------------------------------------------------


def test_a_recommendation_error_is_printed_once(support_client):
    page = form_errors(post_visit(support_client, visit_data(recommendations=[{"text": ""}])))
    assert page.count("Write the recommendation.") == 1


def test_listings_show_full_names(support_client, support_user):
    visit = make_visit(lead=support_user)
    pack = make_pack(visit)
    send(support_client, pack)
    for name in ("support_visits:list", "support_follow_ups:list", "support_sendings:list"):
        page = support_client.get(reverse(name)).content.decode()
        assert "Sam Tester" in page, name
        assert not re.search(r">\s*sam\s*<", page), name


def test_a_new_pack_for_a_visit_names_the_area_once(support_client):
    visit = make_visit(area="sandwell")
    page = support_client.get(reverse("support_packs:add") + f"?visit={visit.pk}")
    pack = make_pack(visit)
    pack.title = "Signposting pack for Sandwell"
    pack.save()
    send(support_client, pack)
    sending = PackSending.objects.get()
    detail = support_client.get(reverse("support-sending", args=[sending.pk])).content.decode()
    for html in (page.content.decode(), detail):
        assert "Sandwell for Sandwell" not in re.sub(r"<[^>]+>", "", html)


def test_the_pack_email_has_each_note_and_a_reply_to_the_sender(support_client, support_user):
    pack = make_pack(make_visit())
    send(support_client, pack)
    message = mail.outbox[0]
    assert "Note 0" in message.body and "Note 1" in message.body
    assert message.reply_to == [support_user.email]
    assert "Sam Tester" in message.from_email


def test_pack_and_report_links_are_buttons_on_the_visit(support_client):
    visit = make_visit()
    page = support_client.get(reverse("support_visits:edit", args=[visit.pk])).content.decode()
    header = page.split('data-controller="w-dropdown"')[0]
    assert reverse("support_packs:add") + f"?visit={visit.pk}" in header
    assert reverse("support-report") + f"?visit={visit.pk}" in header


def test_saving_a_visit_stays_on_the_visit(support_client):
    response = post_visit(support_client, visit_data())
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert response["Location"] == reverse("support_visits:edit", args=[visit.pk])


def test_saving_a_pack_stays_on_the_pack(support_client):
    pack = make_pack(make_visit())
    url = reverse("support_packs:edit", args=[pack.pk])
    data = form_data(support_client.get(url).content.decode(), form_id="w-editor-form")
    response = support_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url


def test_the_visit_form_names_the_four_core_topics(support_client):
    page = support_client.get(reverse("support_visits:add")).content.decode()
    help_text = page[page.index('id="panel-child-chosen_topics') :][:4000]
    core = Theme.objects.filter(is_core=True, parent=None)
    assert core.count() == 4
    for topic in core:
        assert topic.name in help_text, topic.name


def test_the_due_panel_says_how_long_an_item_is_overdue(support_client):
    visit = make_visit(start=timezone.localdate() - datetime.timedelta(days=80))
    package = visit.follow_ups.get(kind=FollowUp.Kind.PACKAGE)
    days = (timezone.localdate() - package.due_date).days
    assert days > 1
    page = support_client.get("/admin/").content.decode()
    assert f"{days} days overdue" in page


# --- 2. Coverage rolls sub-topics up to the theme, and counts each item once --------------


def coverage_cell(client, area_name, theme_name):
    page = client.get(reverse("support-coverage")).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    names = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>.*?</th>", header)]
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if f">{area_name}</a>" in r)
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[names.index(theme_name)]).split())


def test_coverage_counts_sub_topic_items_under_their_theme_once(support_client):
    breastfeeding = Theme.objects.get(slug="breastfeeding")
    assert breastfeeding.parent.slug == "maternal-and-infant-nutrition"
    pages = list(ResourcePage.objects.live().order_by("pk")[:2])
    pack = make_pack(make_visit(), pages=pages)
    pack.items.update(topic=breastfeeding)
    send(support_client, pack, key="first")
    send(support_client, pack, key="second")  # the same pack twice: still two items
    assert PackSending.objects.count() == 2
    cell = coverage_cell(support_client, "Sandwell", breastfeeding.parent.name)
    assert "S 2" in cell, cell


# --- 8. Report figures that disagree are shown as printed, with a note ----------------------


def test_the_report_page_notes_where_the_reports_own_figures_disagree(support_client):
    from support.topics import theme_tables

    html = support_client.get(reverse("support-report")).content.decode()
    page = " ".join(unescape(html).split())
    tables = {table.theme_slug: table for table in theme_tables().values()}
    nutrition = tables["maternal-and-infant-nutrition"]
    rows_sum = sum(c.report_count or 0 for c in nutrition.categories)
    assert rows_sum != nutrition.report_total  # the report's own rows and total disagree
    assert (
        f"The report's rows add up to {rows_sum}; its printed total is {nutrition.report_total}."
    ) in page
    # Shown as printed, never corrected.
    assert f"<td>{nutrition.report_total}</td>" in page.replace("<td> ", "<td>")
    housing = tables["housing"]
    shares = {}
    for category in housing.categories:
        shares.setdefault(category.report_count, set()).add(category.report_share)
    count, printed = next((n, s) for n, s in shares.items() if len(s) > 1)
    assert f"{count} is printed as" in page
    for share in printed:
        assert f"{format_number(share)}%" in page


# --- 7. Building a pack: unticked, grouped by topic, the area's own first ----------------


def test_suggestions_start_unticked_grouped_with_the_areas_own_first(support_client):
    visit = make_visit("bradford", ("ethnicity", "teenage-pregnancy-and-young-parents"))
    pack = make_pack(visit, pages=[])
    url = reverse("support-pack-suggestions", args=[pack.pk])
    html = support_client.get(url).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="suggestion"[^>]*>', html)
    assert len(boxes) > 10
    assert not any("checked" in box for box in boxes)
    ethnicity = Theme.objects.get(slug="ethnicity")
    group = html[html.index(f'id="topic-{ethnicity.pk}"') :]
    group = group[: group.index("</fieldset>")]
    assert f"Tick all in {ethnicity.name}" in unescape(group)
    first_title = re.search(r'<label for="suggestion-\d+">([^<]+)</label>', group).group(1)
    assert first_title == "Bradford District Infant Mortality Commission Summary Report"
    in_group = re.findall(r'name="suggestion" value="(\d+)"', group)

    response = support_client.post(url, {"topic": [ethnicity.pk]})
    assert response.status_code == 302
    added = list(pack.items.order_by("sort_order").values_list("page_id", flat=True))
    assert [str(pk) for pk in added] == in_group


# --- Export: recommendations and their progress as CSV, with the list's filters ------------


def test_recommendations_export_as_csv_with_the_lists_filters(support_client):
    import csv
    import io

    visit = make_visit(recommendations=3)
    other = make_visit(area="kirklees", recommendations=2)
    first = visit.recommendations.order_by("pk").first()
    first.progress = "achieved"
    first.progress_notes = "Scorecard in use"
    first.save()
    url = reverse("support_recommendations:list")

    def rows(query):
        response = support_client.get(url, {"export": "csv", **query})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        body = b"".join(response.streaming_content).decode()
        return list(csv.DictReader(io.StringIO(body)))

    everything = rows({})
    assert len(everything) == 5
    assert {"Area", "Visit", "Theme", "Category", "Priority", "Progress", "Progress notes"} <= set(
        everything[0]
    )
    achieved = rows({"progress": "achieved"})
    assert [(r["Progress"], r["Progress notes"]) for r in achieved] == [
        ("Achieved", "Scorecard in use")
    ]
    one_visit = rows({"visit": other.pk})
    assert len(one_visit) == 2 and {r["Area"] for r in one_visit} == {"Kirklees"}
    edit = support_client.get(reverse("support_visits:edit", args=[visit.pk])).content.decode()
    assert f"{url}?visit={visit.pk}&amp;export=csv" in edit


# --- Recommendations for every topic: "Other" where the report gives no categories ---------


@pytest.mark.parametrize(
    "slug",
    [
        "immunisation",
        "feverish-unwell-infant",
        "access-to-maternity-services-and-screening",
        "substance-misuse",
    ],
)
def test_a_topic_without_a_table_takes_recommendations_under_other(support_client, slug):
    from support.models import Recommendation

    topic = Theme.objects.get(slug=slug)
    data = visit_data(
        chosen_topics=[topic.pk, Theme.objects.get(slug="ethnicity").pk],
        recommendations=[{"theme": topic.pk, "category": "Other"}],
    )
    response = post_visit(support_client, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    recommendation = Recommendation.objects.get()
    assert (recommendation.theme, recommendation.category) == (topic, "Other")
    report = unescape(support_client.get(reverse("support-report")).content.decode())
    assert topic.name in report


def test_every_workspace_edit_form_has_a_heading(support_client):
    visit = make_visit(recommendations=1)
    pack = make_pack(visit)
    for url in (
        reverse("support_visits:edit", args=[visit.pk]),
        reverse("support_visits:add"),
        reverse("support_packs:edit", args=[pack.pk]),
    ):
        page = support_client.get(url).content.decode()
        assert len(re.findall(r"<h1[\s>]", page)) == 1, url

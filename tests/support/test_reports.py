"""The category report (pages and `support_report`), `support_due`, the dashboard panel, area
history and coverage, on data the tests make."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kb.models import Area, CaseStudyPage
from support.models import FollowUp, Recommendation
from support.reports import category_report
from support.topics import theme_tables

from .conftest import make_pack, make_visit, theme

pytestmark = pytest.mark.django_db


def table(slug):
    return next(t for t in theme_tables().values() if t.theme_slug == slug)


@pytest.fixture
def recorded():
    """Three strategic recommendations in two categories, one housing, over two visits."""
    strategic, housing = table("strategic-approaches"), table("housing")
    first, second = strategic.categories[0].name, strategic.categories[1].name
    a = make_visit("sandwell")
    b = make_visit("kirklees", start=datetime.date(2026, 5, 4))
    for visit, theme_slug, category in (
        (a, "strategic-approaches", first),
        (a, "strategic-approaches", first),
        (b, "strategic-approaches", second),
        (b, "housing", housing.categories[0].name),
    ):
        Recommendation.objects.create(
            visit=visit, text="Do it", theme=theme(theme_slug), category=category
        )
    return {"a": a, "b": b, "first": first, "second": second}


def test_category_report_counts_and_shares_within_each_theme(recorded):
    reports = {r.label: r for r in category_report()}
    strategic = reports["Strategic"]
    assert strategic.table_number == 1
    assert strategic.total == 3
    rows = {row.category: row for row in strategic.rows}
    assert rows[recorded["first"]].count == 2
    assert str(rows[recorded["first"]].share) == "66.7"
    assert rows[recorded["second"]].count == 1
    # The national figure beside it is the report's Table 1 row.
    assert rows[recorded["first"]].report_count == 68
    assert str(rows[recorded["first"]].report_share) == "21.9"
    assert strategic.report_total == 311
    assert reports["Housing"].total == 1


def test_support_report_csv(recorded):
    out = io.StringIO()
    call_command("support_report", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    first = next(r for r in rows if r["category"] == recorded["first"])
    assert first == {
        "theme": "Strategic",
        "category": recorded["first"],
        "count": "2",
        "share": "66.7",
        "report_count": "68",
        "report_share": "21.9",
    }
    assert sum(int(r["count"]) for r in rows) == 4


def test_support_report_table(recorded):
    out = io.StringIO()
    call_command("support_report", stdout=out)
    text = out.getvalue()
    assert "Table 1. Strategic: 3 recommendations" in text
    assert "66.7%" in text and "21.9%" in text


def test_support_report_refuses_an_unknown_format():
    with pytest.raises(CommandError, match="--format must be table or csv"):
        call_command("support_report", "--format", "xml")


def test_report_page_for_one_visit_and_for_all(support_client, recorded):
    one = support_client.get(reverse("support-report") + f"?visit={recorded['a'].pk}")
    page = one.content.decode()
    assert one.status_code == 200
    assert "<svg" in page and recorded["first"] in page
    assert "This visit" in page
    assert recorded["second"] in page  # every category is listed, with zero here
    every = support_client.get(reverse("support-report")).content.decode()
    assert "All visits" in every and "Table 7" in every
    assert support_client.get(reverse("support-report") + "?visit=abc").status_code == 404
    assert support_client.get(reverse("support-report") + "?visit=999999").status_code == 404


def test_support_due_lists_overdue_and_due_soon(support_user):
    visit = make_visit(start=datetime.date(2026, 1, 5), lead=support_user)  # ends 8 January
    package = visit.follow_ups.get(kind=FollowUp.Kind.PACKAGE)  # due 19 February
    out = io.StringIO()
    call_command("support_due", "--today", "2026-02-10", stdout=out)
    text = out.getvalue()
    assert "Overdue: 0" in text
    assert "Due in the next 14 days: 1" in text
    assert "2026-02-19  Sandwell: Follow-up support package (to do; sam)" in text

    out = io.StringIO()
    call_command("support_due", "--today", "2026-03-01", stdout=out)
    assert "Overdue: 1" in out.getvalue()

    package.status = FollowUp.Status.DONE
    package.save()
    out = io.StringIO()
    call_command("support_due", "--today", "2026-03-01", stdout=out)
    assert "Overdue: 0" in out.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--days", "soon"], "--days must be a whole number"),
        (["--days", "-1"], "--days must be between"),
        (["--today", "31/12/2026"], "--today must be a date"),
    ],
)
def test_support_due_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("support_due", *args)


def test_dashboard_panel_shows_what_is_due(support_client, support_user):
    today = datetime.date.today()
    visit = make_visit(start=today - datetime.timedelta(days=60), lead=support_user)
    response = support_client.get("/admin/")
    page = response.content.decode()
    assert "Due and overdue follow-ups" in page
    assert "Overdue" in page  # the package fell due 18 days ago
    assert (
        reverse("support_follow_ups:edit", args=[visit.follow_ups.get(kind="package").pk]) in page
    )


def test_area_history_shows_visits_recommendations_and_packs(
    support_client, support_user, recorded, rf
):
    from support.sending import send_pack

    pack = make_pack(recorded["a"])
    send_pack(
        pack,
        user=support_user,
        recipients=[{"name": "Ada", "email": "ada@example.org"}],
        expires_on=None,
        send_key="history",
        absolute=rf.get("/").build_absolute_uri,
    )
    page = support_client.get(
        reverse("support-area", args=[recorded["a"].area_id])
    ).content.decode()
    assert "Do it" in page
    assert "Not started 2" in page
    assert pack.title in page
    assert "to 1 recipient" in page


def test_coverage_shows_discussed_topics_sent_items_and_local_case_studies(support_client):
    area = Area.objects.get(slug="kirklees")
    studies = CaseStudyPage.objects.live().filter(areas=area).prefetch_related("themes")
    local_theme = studies[0].themes.all()[0]
    local_theme = local_theme.parent or local_theme
    expected = sum(
        1
        for study in studies
        if any((t.parent_id or t.pk) == local_theme.pk for t in study.themes.all())
    )
    make_visit("kirklees", ("ethnicity", "immunisation"))
    response = support_client.get(reverse("support-coverage"))
    page = response.content.decode()
    assert "Kirklees" in page and "Sandwell" not in page
    row = page.split("Kirklees</a>")[1].split("</tr>")[0]
    cells = row.split("<td")[2:]  # after the visits column
    headers = [
        h.split(">")[-1] for h in page.split("<thead>")[1].split("</thead>")[0].split("</th>")
    ][2:-1]
    by_theme = dict(zip(headers, cells, strict=False))
    assert f"CS {expected}" in by_theme[local_theme.name]
    assert "D" in by_theme["Ethnicity"].split("CS")[0]
    assert "support-gap" in by_theme["Immunisation"]  # discussed, no local practice
    every = support_client.get(reverse("support-coverage") + "?areas=all").content.decode()
    assert "Sandwell" in every

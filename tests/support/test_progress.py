"""Progress from the area: the lead records progress on a visit's recommendations through a
private link (no login); the team makes, sees and revokes the link and reads every change."""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from support import progress
from support.models import ProgressLink, ProgressUpdate, Recommendation

from .conftest import make_visit
from .test_query_counts import MAX_QUERIES, measure

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LATER = TODAY + datetime.timedelta(days=180)


def make_link(client, visit, name="Ada Lead", expires_on=LATER):
    response = client.post(
        reverse("support-visit-progress", args=[visit.pk]),
        {"recipient_name": name, "expires_on": expires_on.isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ProgressLink.objects.filter(visit=visit).latest("pk")


def progress_url(link):
    return reverse("support-area-progress", args=[link.token])


def form_data(visit, changes=None):
    """The form as the page posts it, with `changes` {recommendation id: (progress, comment)}."""
    changes = changes or {}
    data = {}
    for r in visit.recommendations.all():
        latest = r.latest_update()
        progress_value, comment = changes.get(r.pk, (r.progress, latest.comment if latest else ""))
        data[f"progress-{r.pk}"] = progress_value
        data[f"comment-{r.pk}"] = comment
    return data


@pytest.fixture
def area():
    """The area's lead: nobody is signed in (support_client is pytest-django's `client`)."""
    return Client()


@pytest.fixture
def visit(support_user):
    visit = make_visit(recommendations=3, lead=support_user)
    for n, r in enumerate(visit.recommendations.order_by("pk")):
        r.text = f"Sandwell recommendation {n}"
        r.save()
    return visit


@pytest.fixture
def other_visit(support_user):
    other = make_visit("kirklees", recommendations=2)
    Recommendation.objects.filter(visit=other).update(text="Kirklees private recommendation")
    return other


# --- Making the link ---------------------------------------------------------------------


def test_a_team_member_makes_a_link_for_a_named_person(support_client, support_user, visit):
    link = make_link(support_client, visit)
    assert link.recipient_name == "Ada Lead"
    assert link.expires_on == LATER
    assert link.created_by == support_user
    page = support_client.get(reverse("support-visit-progress", args=[visit.pk])).content.decode()
    assert f"http://testserver{progress_url(link)}" in page
    assert ModelLogEntry.objects.filter(action="support.progress_link").exists()
    # The token is signed, not stored: nothing in the row opens the link.
    assert link.token.startswith(f"{link.pk}.")
    assert ProgressLink.from_token(link.token) == link
    assert ProgressLink.from_token(f"{link.pk}.{'x' * 43}") is None


@pytest.mark.parametrize(
    "expires_on, message",
    [
        ((TODAY - datetime.timedelta(days=1)).isoformat(), "is already past"),
        ("", "Give the day the link expires."),
        ("next tuesday", "Give the expiry as a date"),
    ],
)
def test_a_past_or_missing_expiry_is_a_form_error(support_client, visit, expires_on, message):
    response = support_client.post(
        reverse("support-visit-progress", args=[visit.pk]),
        {"recipient_name": "Ada Lead", "expires_on": expires_on},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressLink.objects.exists()


def test_a_link_needs_a_named_recipient(support_client, visit):
    response = support_client.post(
        reverse("support-visit-progress", args=[visit.pk]),
        {"recipient_name": "", "expires_on": LATER.isoformat()},
    )
    assert response.status_code == 400
    assert "Name the person the link is for." in response.content.decode()


# --- The area's page ---------------------------------------------------------------------


def test_the_page_lists_only_that_visits_recommendations(support_client, visit, other_visit, area):
    visit.notes = "Team-only notes about Sandwell"
    visit.save()
    Recommendation.objects.filter(visit=visit).update(progress_notes="Team-only progress note")
    link = make_link(support_client, visit)
    response = area.get(progress_url(link))  # no login
    page = response.content.decode()
    assert response.status_code == 200
    for n in range(3):
        assert f"Sandwell recommendation {n}" in page
    assert "Kirklees" not in page
    assert "Team-only" not in page
    assert "Ada Lead" in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert 'rel="canonical"' not in page


def test_the_lead_records_progress_and_each_change_is_kept(support_client, visit, area):
    link = make_link(support_client, visit)
    first, second, third = visit.recommendations.order_by("pk")
    response = area.post(
        progress_url(link),
        form_data(
            visit,
            {
                first.pk: ("in_progress", "Scorecard drafted; goes to the board in May."),
                second.pk: ("not_started", "Waiting for the new commissioner."),
            },
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == progress_url(link) + "?saved=2"
    assert "Saved: progress on 2 recommendations" in area.get(response["Location"]).content.decode()
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.progress == "in_progress"
    assert third.progress == "not_started"
    updates = {u.recommendation_id: u for u in ProgressUpdate.objects.all()}
    assert set(updates) == {first.pk, second.pk}  # the third did not change
    assert updates[first.pk].made_by == "Ada Lead"
    assert (updates[first.pk].old_progress, updates[first.pk].new_progress) == (
        "not_started",
        "in_progress",
    )
    assert updates[second.pk].comment == "Waiting for the new commissioner."
    assert (
        abs((updates[first.pk].made_at - datetime.datetime.now(datetime.UTC)).total_seconds()) < 60
    )

    # A second save records the old and new values again.
    area.post(progress_url(link), form_data(visit, {first.pk: ("achieved", "Done.")}))
    latest = first.progress_updates.first()
    assert (latest.old_progress, latest.new_progress) == ("in_progress", "achieved")
    assert (latest.old_comment, latest.comment) == (
        "Scorecard drafted; goes to the board in May.",
        "Done.",
    )
    # Saving with nothing changed records nothing.
    before = ProgressUpdate.objects.count()
    response = area.post(progress_url(link), form_data(visit))
    assert response["Location"].endswith("?saved=0")
    assert ProgressUpdate.objects.count() == before


def test_the_team_sees_the_history(support_client, visit, area):
    link = make_link(support_client, visit)
    first = visit.recommendations.order_by("pk").first()
    area.post(progress_url(link), form_data(visit, {first.pk: ("achieved", "All done")}))
    page = support_client.get(reverse("support-visit-progress", args=[visit.pk])).content.decode()
    assert "Ada Lead" in page
    assert "Not started → Achieved" in page
    assert "All done" in page
    edit = support_client.get(reverse("support_recommendations:edit", args=[first.pk]))
    assert f"/progress/#recommendation-{first.pk}" in edit.content.decode()
    listing = support_client.get(reverse("support_recommendations:list"))
    assert f"{TODAY:%Y-%m-%d} by Ada Lead" in listing.content.decode()
    area_page = support_client.get(reverse("support-area", args=[visit.area_id]))
    assert "(Ada Lead): All done" in area_page.content.decode()


def test_the_csv_export_has_the_latest_progress(support_client, visit, area):
    link = make_link(support_client, visit)
    first = visit.recommendations.order_by("pk").first()
    area.post(progress_url(link), form_data(visit, {first.pk: ("in_progress", "Older")}))
    area.post(progress_url(link), form_data(visit, {first.pk: ("achieved", "Latest word")}))
    response = support_client.get(
        reverse("support_recommendations:list") + f"?visit={visit.pk}&export=csv"
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    row = next(r for r in rows if r["Recommendation"] == first.text)
    assert row["Progress"] == "Achieved"
    assert row["Area's latest comment"] == "Latest word"
    assert row["Progress last updated by the area"] == f"{TODAY:%Y-%m-%d} by Ada Lead"


def test_another_visits_recommendation_is_refused(support_client, visit, other_visit, area):
    link = make_link(support_client, visit)
    foreign = other_visit.recommendations.first()
    data = form_data(visit)
    data[f"progress-{foreign.pk}"] = "achieved"
    data[f"comment-{foreign.pk}"] = "Changed through Sandwell's link"
    response = area.post(progress_url(link), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert "Kirklees" not in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.progress == "not_started"
    assert not ProgressUpdate.objects.exists()
    # Nor does a link reach a recommendation of another visit by leaving its own out.
    response = area.post(
        progress_url(link), {f"progress-{foreign.pk}": "achieved", f"comment-{foreign.pk}": "x"}
    )
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    "value, comment, message",
    [
        ("finished", "", "from the list"),
        ("achieved", "x" * 2001, "2,000 characters or fewer"),
    ],
)
def test_bad_input_is_a_form_error(support_client, visit, area, value, comment, message):
    link = make_link(support_client, visit)
    first = visit.recommendations.order_by("pk").first()
    response = area.post(progress_url(link), form_data(visit, {first.pk: (value, comment)}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    # Each error in the summary links to the input it is about (a radio group's first option).
    soup = BeautifulSoup(response.content, "html.parser")
    targets = [a["href"] for a in soup.select(".nhsuk-error-summary a")]
    assert targets and all(soup.find(id=href[1:]) for href in targets), targets


def test_the_form_needs_its_csrf_token(support_client, visit):
    link = make_link(support_client, visit)
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(progress_url(link)).status_code == 200
    response = strict.post(progress_url(link), form_data(visit))
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_saving_is_rate_limited_per_link(support_client, visit, area, monkeypatch):
    monkeypatch.setattr(progress, "POSTS_PER_LINK", (2, 3600))
    monkeypatch.setattr("support.share.POSTS_PER_LINK", (2, 3600))
    link = make_link(support_client, visit)
    first = visit.recommendations.order_by("pk").first()
    for n in range(2):
        response = area.post(progress_url(link), form_data(visit, {first.pk: ("achieved", f"{n}")}))
        assert response.status_code == 302
    response = area.post(progress_url(link), form_data(visit, {first.pk: ("achieved", "third")}))
    assert response.status_code == 429
    assert "Try again later" in response.content.decode()
    assert not ProgressUpdate.objects.filter(comment="third").exists()


# --- Revoking and expiry -----------------------------------------------------------------


def test_revoking_asks_first_naming_who_loses_access(support_client, visit, area):
    link = make_link(support_client, visit)
    revoke = reverse("support-progress-link-revoke", args=[link.pk])
    confirm = support_client.get(revoke)
    assert confirm.status_code == 200
    assert "Ada Lead" in confirm.content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None  # asking changed nothing
    support_client.post(revoke)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert ModelLogEntry.objects.filter(action="support.progress_revoke").exists()
    for method in (area.get, area.post):
        response = method(progress_url(link), form_data(visit))
        assert response.status_code == 410
        assert "withdrawn" in response.content.decode()
        assert "Sandwell recommendation" not in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_an_expired_link_is_a_410(support_client, visit, area):
    link = make_link(support_client, visit, expires_on=TODAY)
    assert area.get(progress_url(link)).status_code == 200  # still works on its last day
    ProgressLink.objects.filter(pk=link.pk).update(expires_on=TODAY - datetime.timedelta(days=1))
    response = area.get(progress_url(link))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


@pytest.mark.parametrize(
    "token", ["1." + "x" * 43, "x" * 43, "short", "a" * 200, "%00abc", "1:abc"]
)
def test_unknown_tokens_get_a_clear_404(area, token):
    response = area.get(f"/progress/{token}/")
    assert response.status_code == 404
    assert "Progress page not found" in response.content.decode()


def test_a_link_opens_only_the_visit_it_was_made_for(support_client, visit, other_visit, area):
    """A valid signature for another id is not a link: the salt keeps tokens apart."""
    link = make_link(support_client, visit)
    other_link = make_link(support_client, other_visit)
    assert "Kirklees private" in area.get(progress_url(other_link)).content.decode()
    assert "Kirklees private" not in area.get(progress_url(link)).content.decode()
    forged = f"{other_link.pk}.{link.token.split('.', 1)[1]}"
    assert area.get(f"/progress/{forged}/").status_code == 404


def test_progress_pages_are_in_no_sitemap_feed_or_search(support_client, visit, area):
    link = make_link(support_client, visit)
    area.post(progress_url(link), form_data(visit))
    for url in (
        "/sitemap.xml",
        "/feeds/latest.atom",
        "/search/?q=Sandwell+recommendation",
        "/api/search?q=Sandwell+recommendation",
    ):
        body = area.get(url).content.decode()
        assert link.token not in body, url
        assert "/progress/" not in body, url
        assert "Sandwell recommendation 1" not in body, url


# --- Query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 25])
def test_progress_pages_stay_within_budget(support_client, support_user, area, count):
    visit = make_visit(recommendations=count, lead=support_user)
    link = make_link(support_client, visit)
    for r in visit.recommendations.all():
        area.post(progress_url(link), form_data(visit, {r.pk: ("in_progress", f"c{r.pk}")}))
    measured = {
        "area page": measure(area, progress_url(link)),
        "team page": measure(support_client, reverse("support-visit-progress", args=[visit.pk])),
        "recommendations": measure(support_client, reverse("support_recommendations:list")),
        "visit edit": measure(support_client, reverse("support_visits:edit", args=[visit.pk])),
        "area history": measure(support_client, reverse("support-area", args=[visit.area_id])),
    }
    assert all(n <= MAX_QUERIES for n in measured.values()), measured


# --- A workspace form opened before the area's update ------------------------------------


class FormValues(HTMLParser):
    """What a browser would post from a page's editing form (the POST form with the most
    fields): text inputs, hidden inputs, ticked boxes, chosen options and textareas. The inline
    formset's empty template row (`__prefix__`) is left out, as a browser leaves it out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form = [], None
        self.select, self.select_first, self.textarea = None, None, None

    def add(self, name, value):
        if self.form is not None and name and "__prefix__" not in name:
            self.form.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.form = {}
            self.forms.append(self.form)
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(attrs.get("name"), attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select, self.select_first = attrs.get("name"), None
            self.select_chosen = False
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = attrs.get("value", "")
            if "selected" in attrs:
                self.add(self.select, attrs.get("value", ""))
                self.select_chosen = True
        elif tag == "textarea":
            self.textarea, self.text = attrs.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select:
            if not self.select_chosen and self.select_first is not None:
                self.add(self.select, self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None


def editing_form(response):
    assert response.status_code == 200
    parser = FormValues()
    parser.feed(response.content.decode())
    return max(parser.forms, key=len)


def row_prefix(values, recommendation):
    """The inline row ("recommendations-N-") that holds `recommendation` on the visit form."""
    for name, value in values.items():
        is_id = name.startswith("recommendations-") and name.endswith("-id")
        if is_id and value == [str(recommendation.pk)]:
            return name.removesuffix("id")
    raise AssertionError(f"recommendation {recommendation.pk} is not on the form")


def progress_forms():
    """(edit URL of the form, field-name prefix of the recommendation on it) for each of the
    two workspace forms that show a recommendation's progress."""
    return {
        "recommendation": lambda visit, r: reverse("support_recommendations:edit", args=[r.pk]),
        "visit": lambda visit, r: reverse("support_visits:edit", args=[visit.pk]),
    }


@pytest.fixture(params=["recommendation", "visit"])
def opened_before_the_area(request, support_client, visit, area):
    """A team member opens the recommendation's own edit page or the visit's, then the lead
    sets the first recommendation to Achieved through the link. Returns (edit URL, the form's
    values as the page showed them, the field prefix of that recommendation, it)."""
    first = visit.recommendations.order_by("pk").first()
    link = make_link(support_client, visit)
    url = progress_forms()[request.param](visit, first)
    values = editing_form(support_client.get(url))
    prefix = "" if request.param == "recommendation" else row_prefix(values, first)
    assert values[f"{prefix}progress"] == ["not_started"]
    response = area.post(progress_url(link), form_data(visit, {first.pk: ("achieved", "Done.")}))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.progress == "achieved"
    return url, values, prefix, first


def test_an_older_form_saved_without_touching_progress_keeps_the_areas(
    support_client, opened_before_the_area
):
    url, values, prefix, first = opened_before_the_area
    values[f"{prefix}text"] = ["Develop an infant mortality scorecard with the board"]
    response = support_client.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    assert first.text == "Develop an infant mortality scorecard with the board"
    assert first.progress == "achieved"  # the area's update, not the "Not started" shown


def test_an_older_form_that_changed_progress_is_refused_naming_the_areas_update(
    support_client, opened_before_the_area
):
    url, values, prefix, first = opened_before_the_area
    values[f"{prefix}text"] = ["Develop an infant mortality scorecard with the board"]
    values[f"{prefix}progress"] = ["in_progress"]
    response = support_client.post(url, values)
    assert response.status_code == 200, "expected the form again, with an error"
    page = response.content.decode()
    update = first.progress_updates.get()
    made_at = timezone.localtime(update.made_at)
    assert "changed the progress to \u201cAchieved\u201d" in page
    assert f"Ada Lead, {made_at:%-d %B %Y %H:%M}" in page
    first.refresh_from_db()
    assert (first.progress, first.text) == ("achieved", "Sandwell recommendation 0")

    # Shown again: what the team member typed, and now based on the area's value, so saving
    # it again is a choice made knowing the area's update.
    again = editing_form(response)
    assert again[f"{prefix}text"] == ["Develop an infant mortality scorecard with the board"]
    assert again[f"{prefix}progress"] == ["in_progress"]
    response = support_client.post(url, again)
    assert response.status_code == 302, response.content.decode()[:3000]
    first.refresh_from_db()
    assert (first.progress, first.text) == (
        "in_progress",
        "Develop an infant mortality scorecard with the board",
    )

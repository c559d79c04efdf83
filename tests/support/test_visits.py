"""Visits and recommendations through the admin's real forms: the rules, and what is saved."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from kb.models import Area
from support.models import FollowUp, Recommendation, Visit, add_months

from .conftest import first_category, make_visit, theme

pytestmark = pytest.mark.django_db


def visit_data(**overrides):
    recommendations = overrides.pop("recommendations", [])
    data = {
        "area": Area.objects.get(slug="sandwell").pk,
        "start_date": "2026-03-02",
        "end_date": "2026-03-05",
        "status": "visited",
        "lead": "",
        "chosen_topics": [theme("ethnicity").pk, theme("teenage-pregnancy-and-young-parents").pk],
        "people_seen": ["director_of_public_health", "lscb_chair"],
        "people_seen_other": "",
        "notes": "",
        "evaluation_participants": "20",
        "evaluation_positive": "18",
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
        "recommendations-TOTAL_FORMS": str(len(recommendations)),
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-MIN_NUM_FORMS": "0",
        "recommendations-MAX_NUM_FORMS": "1000",
    }
    for n, rec in enumerate(recommendations):
        row = {
            "text": "Develop an infant mortality scorecard",
            "theme": theme("strategic-approaches").pk,
            "category": first_category("strategic-approaches"),
            "priority": "high",
            "owner_role": "Director of Public Health",
            "progress": "not_started",
            "progress_notes": "",
            "ORDER": str(n + 1),
            "DELETE": "",
            "id": "",
        }
        row.update(rec)
        data.update({f"recommendations-{n}-{key}": value for key, value in row.items()})
    data.update(overrides)
    return data


def post_visit(client, data):
    return client.post(reverse("support_visits:add"), data)


def form_errors(response):
    assert response.status_code == 200, "expected the form again, with errors"
    return response.content.decode()


def test_a_valid_visit_saves_with_recommendations_and_follow_ups(support_client, support_user):
    response = post_visit(
        support_client,
        visit_data(lead=support_user.pk, recommendations=[{}, {"priority": "low"}]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Visit.objects.get()
    assert visit.people_seen == ["director_of_public_health", "lscb_chair"]
    assert visit.recommendations.count() == 2
    assert {t.slug for t in visit.topics()} >= {
        "housing",
        "maternal-and-infant-nutrition",
        "safeguarding-and-sudi",
        "reducing-maternal-smoking",
        "ethnicity",
        "teenage-pregnancy-and-young-parents",
    }
    assert len(visit.topics()) == 6
    due = {f.kind: f.due_date for f in visit.follow_ups.all()}
    assert due[FollowUp.Kind.PACKAGE] == datetime.date(2026, 4, 16)  # six weeks after 5 March
    assert due[FollowUp.Kind.SELF_ASSESSMENT] == datetime.date(2026, 9, 5)
    assert all(f.owner == support_user for f in visit.follow_ups.all())
    entry = ModelLogEntry.objects.filter(action="wagtail.create").latest("timestamp")
    assert entry.user == support_user
    assert entry.object_id == str(visit.pk)


def test_end_before_start_is_a_form_error(support_client):
    page = form_errors(post_visit(support_client, visit_data(end_date="2026-03-01")))
    assert "The visit cannot end before it starts." in page
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "slugs, message",
    [
        (["ethnicity"], "you chose 1"),
        (["ethnicity", "immunisation", "substance-misuse"], "you chose 3"),
        ([], "you chose 0"),
        (["ethnicity", "housing"], "Select a valid choice"),
    ],
)
def test_the_wrong_number_or_kind_of_topics_is_a_form_error(support_client, slugs, message):
    data = visit_data(chosen_topics=[theme(slug).pk for slug in slugs])
    page = form_errors(post_visit(support_client, data))
    assert message in page
    assert not Visit.objects.exists()


def test_a_recommendation_with_no_text_is_a_form_error(support_client):
    page = form_errors(post_visit(support_client, visit_data(recommendations=[{"text": ""}])))
    assert "Write the recommendation." in page
    assert not Visit.objects.exists()


def test_a_category_of_another_theme_is_a_form_error(support_client):
    data = visit_data(
        recommendations=[{"theme": theme("housing").pk, "category": first_category("ethnicity")}]
    )
    page = form_errors(post_visit(support_client, data))
    assert "is not a category of Housing" in page
    assert not Recommendation.objects.exists()


def test_more_positive_answers_than_participants_is_a_form_error(support_client):
    data = visit_data(evaluation_participants="5", evaluation_positive="6")
    page = form_errors(post_visit(support_client, data))
    assert "More people said it gave a basis" in page


def test_changing_the_end_date_moves_follow_ups_nobody_changed(support_user):
    visit = make_visit(lead=support_user)
    package = visit.follow_ups.get(kind=FollowUp.Kind.PACKAGE)
    assessment = visit.follow_ups.get(kind=FollowUp.Kind.SELF_ASSESSMENT)
    assessment.due_date = datetime.date(2027, 1, 15)  # agreed with the area
    assessment.save()
    visit = Visit.objects.get(pk=visit.pk)
    visit.end_date = datetime.date(2026, 3, 12)
    visit.save()
    package.refresh_from_db()
    assessment.refresh_from_db()
    assert package.due_date == datetime.date(2026, 4, 23)
    assert assessment.due_date == datetime.date(2027, 1, 15)


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), 12) == datetime.date(2027, 1, 15)


def test_editing_a_visit_is_in_its_history_with_a_revision(support_client, support_user):
    visit = make_visit()
    data = visit_data(notes="Met the children's centre managers.")
    data.update(
        {
            "follow_ups-TOTAL_FORMS": "2",
            "follow_ups-INITIAL_FORMS": "2",
        }
    )
    for n, follow_up in enumerate(visit.follow_ups.order_by("pk")):
        for key, value in {
            "id": follow_up.pk,
            "kind": follow_up.kind,
            "due_date": follow_up.due_date.isoformat(),
            "owner": "",
            "status": "to_do",
            "notes": "",
            "DELETE": "",
            "ORDER": str(n + 1),
        }.items():
            data[f"follow_ups-{n}-{key}"] = value
    response = support_client.post(reverse("support_visits:edit", args=[visit.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    assert visit.notes == "Met the children's centre managers."
    assert visit.follow_ups.count() == 2
    entry = ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(visit.pk)).get()
    assert entry.user == support_user
    assert entry.revision is not None
    history = support_client.get(reverse("support_visits:history", args=[visit.pk]))
    assert support_user.get_full_name() in history.content.decode()


def test_deleting_a_visit_asks_first(support_client):
    visit = make_visit()
    confirm = support_client.get(reverse("support_visits:delete", args=[visit.pk]))
    assert confirm.status_code == 200
    assert "Are you sure" in confirm.content.decode()
    assert Visit.objects.filter(pk=visit.pk).exists()
    support_client.post(reverse("support_visits:delete", args=[visit.pk]))
    assert not Visit.objects.filter(pk=visit.pk).exists()

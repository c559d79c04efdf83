"""A practitioner's answers, as the form posts them, and the people who moderate."""

import pytest
from django.test import Client

from submissions.forms import new_stamp
from tests.editorial.conftest import make_user

SUBMITTER_NAME = "Priya Submitterton"
SUBMITTER_EMAIL = "priya.submitter@example.org"


def answers(**changes):
    data = {
        "started": new_stamp(),
        "title": "Baby clinics in Exampletown family hubs",
        "area": "",
        "area_other": "Exampletown",
        "start_year": "2023",
        "problem": "Families in the most deprived wards missed baby checks.",
        "aims": "Raise attendance at baby checks in the most deprived wards.",
        "what_was_done": "Health visitors ran drop-in baby clinics in two family hubs.",
        "evaluation_status": "internal",
        "evaluation": "Attendance was counted before and after.",
        "outcome-TOTAL_FORMS": "3",
        "outcome-INITIAL_FORMS": "0",
        "outcome-MIN_NUM_FORMS": "0",
        "outcome-MAX_NUM_FORMS": "3",
        "outcome-0-measure": "Babies seen at 6-8 weeks",
        "outcome-0-value": "82.5",
        "outcome-0-unit": "%",
        "outcome-0-period": "2023-24",
        "contact_name": "Sam Contact",
        "contact_role": "Health visiting lead",
        "contact_organisation": "Exampletown Council",
        "contact_email": "sam.contact@example.org",
        "contact_phone": "",
        "links": "https://example.org/report",
        "submitter_name": SUBMITTER_NAME,
        "submitter_email": SUBMITTER_EMAIL,
        "consent_to_share": "on",
        "contacts_agreed": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def moderator_client(db):
    client = Client()
    client.force_login(make_user("mod-sub", "Moderators"))
    return client


@pytest.fixture
def editor_client(db):
    client = Client()
    client.force_login(make_user("ed-sub", "Editors"))
    return client

"""Sign up for email alerts from a filtered search on a phone, confirm, and manage them:
axe finds no serious or critical violation on any page of the journey, errors included."""

import json
import sqlite3

import pytest

from .conftest import SITE
from .test_accessibility import BLOCKING, run_axe

PHONE = {"width": 375, "height": 812}
ADDRESS = "journey.reader@example.org"


def assert_accessible(page, axe_source, where):
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, (where, json.dumps(violations, indent=2))


def subscription_id(address):
    """Read from the served copy's database: the confirmation email went to its locmem outbox."""
    path = SITE["env"]["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT id FROM alerts_subscription WHERE email = ?", (address,)
        ).fetchone()
    return row[0]


@pytest.mark.browser
def test_subscribe_from_a_filtered_search_on_a_phone(page, axe_source):
    from alerts.links import make_token  # the test settings' SECRET_KEY is the server's

    page.set_viewport_size(PHONE)
    page.goto("/search/?q=damp&theme=housing&type=case_study")
    with page.expect_navigation():
        page.get_by_role("link", name="Get emails about this search").click()
    assert page.locator("h1").inner_text() == "Get emails about this search"
    described = page.locator(".kb-alert-search").inner_text()
    assert "\u201cdamp\u201d; Theme: Housing; Type of content: Case study" in described

    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page, axe_source, "sign-up with an error")

    page.get_by_label("Email address").fill(ADDRESS)
    page.get_by_label("Once a week at most").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page, axe_source, "check your email")

    page.goto(f"/alerts/confirm/{make_token('confirm', subscription_id(ADDRESS))}/")
    assert_accessible(page, axe_source, "confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    assert page.locator("h1").inner_text() == "You have signed up"
    assert_accessible(page, axe_source, "signed up")

    with page.expect_navigation():
        page.get_by_role("link", name="Manage your email alerts").click()
    assert page.get_by_label("Once a week at most").is_checked()
    assert ADDRESS not in page.content()
    assert_accessible(page, axe_source, "manage")

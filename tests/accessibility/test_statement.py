"""The accessibility statement: linked from every footer, in the model statement's shape, editable,
and claiming only what accessibility.checks (which the browser tests enforce) says."""

import datetime

import pytest
from bs4 import BeautifulSoup

from accessibility.checks import KNOWN_ISSUES, NOT_CHECKED, checked_pages
from accessibility.models import AccessibilityStatement
from tests.editorial.conftest import make_user

pytestmark = pytest.mark.django_db
MODEL_STATEMENT_HEADINGS = [
    "How accessible this website is",
    "Compliance status",
    "What is known not to be accessible",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Preparation of this statement",
]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_every_footer_links_the_statement(client):
    for url in ("/", "/case-studies/", "/search/?q=smoking", "/glossary/", "/no-such-page/"):
        response = client.get(url)
        links = [a["href"] for a in soup(response).select("footer a")]
        assert "/accessibility/" in links, url


def test_statement_follows_the_model_structure_and_links_the_problem_form(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = soup(response)
    assert [h.get_text(strip=True) for h in page.select("main h2")] == MODEL_STATEMENT_HEADINGS
    report = page.find("a", string="Report an accessibility problem")
    assert report["href"].startswith("/feedback/problem/")
    assert client.get(report["href"]).status_code == 200
    assert "has not yet recorded when this statement was last reviewed" in page.get_text()


def test_statement_claims_exactly_what_the_checks_cover(client):
    text = " ".join(soup(client.get("/accessibility/")).select_one("main").get_text(" ").split())
    for name in checked_pages():
        assert name.capitalize() in text
    for item in NOT_CHECKED:
        assert item in text
    if not KNOWN_ISSUES:
        assert "find no problem of any severity" in text
    for rule in KNOWN_ISSUES:
        assert f"axe rule {rule}" in text
    assert "fully compliant" not in text.lower()
    assert "partially compliant" in text.lower()


def test_fully_compliant_cannot_be_chosen():
    assert "full" not in {value for value, _label in AccessibilityStatement.Compliance.choices}


def test_a_moderator_edits_the_wording_and_review_date(client):
    moderator = make_user("mod-a11y", "Moderators")
    client.force_login(moderator)
    url = "/admin/settings/accessibility/accessibilitystatement/"
    form = client.get(url, follow=True)
    assert form.status_code == 200
    statement = AccessibilityStatement.load()
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else url,
        {
            "intro": "Our own <b>words</b>.",
            "how_accessible": statement.how_accessible,
            "compliance": "partial",
            "other_known_issues": "",
            "reporting": statement.reporting,
            "enforcement": statement.enforcement,
            "last_reviewed": "2026-11-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    html = client.get("/accessibility/").content.decode()
    assert "Our own &lt;b&gt;words&lt;/b&gt;." in html
    assert "last reviewed on 30 November 2026" in html
    assert AccessibilityStatement.load().last_reviewed == datetime.date(2026, 11, 30)


def test_editors_cannot_edit_the_statement(client):
    client.force_login(make_user("ed-a11y", "Editors"))
    url = "/admin/settings/accessibility/accessibilitystatement/"
    assert client.get(url).status_code in (302, 403)
    refused = client.post(url + "1/", {"intro": "Changed by an editor"})
    assert refused.status_code in (302, 403, 404)
    assert "Changed by an editor" not in client.get("/accessibility/").content.decode()

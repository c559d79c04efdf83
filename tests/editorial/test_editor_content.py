"""A case study an editor writes is theirs: no 2010 wording, its own source, its own dates.

Defect 3: every page with a source reference said "as published in 2010" and cited the report.
"""

import re

import pytest
from bs4 import BeautifulSoup

from kb.models import Area, CaseStudyIndexPage, CaseStudyPage, Intervention, ResourcePage, Theme

from .admin_forms import add_form, add_inline_rows, fill

pytestmark = pytest.mark.django_db
REPORT_TITLE = "Tackling health inequalities in infant and maternal health outcomes"


def create_case_study(client, action="action-publish", contacts=(), **fields):
    parent = CaseStudyIndexPage.objects.get()
    url, data = add_form(client, CaseStudyPage, parent)
    fill(
        data,
        title="Peer breastfeeding support in Exampletown",
        slug="peer-breastfeeding-exampletown",
        summary="Trained local mothers support new mothers to keep breastfeeding.",
        **fields,
    )
    add_inline_rows(data, "contacts", contacts)
    data[action] = ["1"]
    return client.post(url, data)


def main_text(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").select_one("main")
    return " ".join(main.get_text(" ").split())


def test_an_editors_case_study_carries_no_2010_wording(admin_client):
    resource = ResourcePage.objects.live().first()
    response = create_case_study(
        admin_client,
        source_reference="Exampletown evaluation report, 2024",
        themes=[Theme.objects.first().pk],
        related_resources=[resource.pk],
        contacts=[
            {
                "name": "A. Editor-Contact",
                "organisation": "Exampletown Council",
                "email": "team@example.invalid",
                "consent_confirmed": "on",
            }
        ],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = CaseStudyPage.objects.get(slug="peer-breastfeeding-exampletown")
    assert page.live and not page.from_report
    text = main_text(admin_client, page)
    assert "2010" not in text
    assert REPORT_TITLE not in text
    assert "The report gives" not in text
    assert "Source: Exampletown evaluation report, 2024." in text
    # Nor does the site-wide footer under the contact the editor added.
    assert "as published in 2010" not in admin_client.get(page.url).content.decode()


def test_report_case_studies_still_say_where_they_came_from(client):
    page = CaseStudyPage.objects.live().filter(contacts__isnull=False).distinct().first()
    assert page.from_report
    text = main_text(client, page)
    assert "Contact details are as published in 2010" in text
    assert f"{REPORT_TITLE} (2010)" in text
    footer = client.get(page.url).content.decode().split("<footer", 1)[1]
    assert "shown as published in 2010" in footer


def test_public_pages_show_when_published_updated_and_next_due(admin_client):
    create_case_study(admin_client)
    page = CaseStudyPage.objects.get(slug="peer-breastfeeding-exampletown")
    text = main_text(admin_client, page)
    published = page.first_published_at
    for label in ("First published", "Last updated"):
        assert re.search(rf"{label} {published.day} {published:%B %Y}", text), text[-400:]
    assert f"Next review due {published.day} {published:%B} {published.year + 2}" in text


def test_interventions_at_a_glance_are_links(client):
    page = CaseStudyPage.objects.live().filter(interventions__isnull=False).distinct().first()
    intervention = page.interventions.first()
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    glance = soup.select_one(".kb-at-a-glance")
    links = [a for a in glance.select("a") if a.get_text().startswith(intervention.name)]
    assert links, glance
    link = links[0]
    assert link["href"] == f"/search/?intervention={intervention.slug}"


def test_no_empty_related_heading(admin_client):
    create_case_study(admin_client)
    page = CaseStudyPage.objects.get(slug="peer-breastfeeding-exampletown")
    soup = BeautifulSoup(admin_client.get(page.url).content, "html.parser")
    assert not soup.select("#related")


def test_tagged_case_study_has_related_links(admin_client):
    create_case_study(
        admin_client,
        themes=[Theme.objects.get(slug="housing").pk],
        areas=[Area.objects.first().pk],
        interventions=[Intervention.objects.first().pk],
    )
    page = CaseStudyPage.objects.get(slug="peer-breastfeeding-exampletown")
    soup = BeautifulSoup(admin_client.get(page.url).content, "html.parser")
    assert soup.select("#related")

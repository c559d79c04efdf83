"""The support team's whole journey after a visit, in a real browser (issue 23): sign in, record
a visit with three recommendations, build a pack from unticked suggestions and send it, send the
visit report, then make a progress link; the area's lead opens the share link (and its PDF) and
records progress through the progress link with no login; the team reads what the area recorded
and revokes the link. axe checks every workspace page on the way, the share page and the
progress page."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SITE
from .test_accessibility import BLOCKING, run_axe

PASSWORD = "journey-pass-2026"


@pytest.fixture(scope="module")
def team_member(site_url):
    code = (
        "from django.contrib.auth.models import Group, User\n"
        "u, _ = User.objects.get_or_create(username='nst-journey', "
        "defaults={'first_name': 'Nia', 'last_name': 'Team', 'email': 'nia@example.org'})\n"
        f"u.set_password('{PASSWORD}'); u.save()\n"
        "u.groups.add(Group.objects.get(name='Support team'))\n"
    )
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        cwd=ROOT,
        env=SITE["env"],
        check=True,
    )
    return "nst-journey"


def assert_accessible(page, axe_source, where):
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, where + "\n" + json.dumps(violations, indent=2)


def test_support_team_journey(page, axe_source, team_member):
    page.goto("/admin/support/visits/")
    assert "/admin/login/" in page.url  # anonymous: to the login page
    page.fill("#id_username", team_member)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/support/visits/"))
    assert_accessible(page, axe_source, "visits listing")

    # Record a visit with three recommendations.
    page.goto("/admin/support/visits/add/")
    assert_accessible(page, axe_source, "new visit form")
    page.select_option("#id_area", label="Sandwell")
    page.fill("#id_start_date", "2026-03-02")
    page.fill("#id_end_date", "2026-03-05")
    page.select_option("#id_status", "visited")
    page.get_by_label("Ethnicity", exact=True).check()
    page.get_by_label(re.compile(r"Reducing teenage pregnancies")).check()
    page.get_by_label("Director of public health").check()
    page.fill("#id_evaluation_participants", "22")
    page.fill("#id_evaluation_positive", "20")
    texts = [
        "Develop a scorecard of infant mortality indicators",
        "Review information sharing protocols",
        "Set up a multi-agency teenage pregnancy group",
    ]
    add_button = page.locator("#id_recommendations-ADD")
    for n, text in enumerate(texts):
        add_button.first.click()
        page.locator(f"#id_recommendations-{n}-text").fill(text)
        page.select_option(f"#id_recommendations-{n}-theme", label="Strategic")
        options = page.locator(f"#id_recommendations-{n}-category optgroup[label=Strategic] option")
        page.select_option(
            f"#id_recommendations-{n}-category", options.nth(n % 2).get_attribute("value")
        )
        page.fill(f"#id_recommendations-{n}-owner_role", "Director of Public Health")
    page.get_by_role("button", name="Save", exact=True).click()
    # Saving stays on the visit.
    page.wait_for_url(re.compile(r"/admin/support/visits/edit/\d+/"))
    visit_id = re.search(r"/edit/(\d+)/", page.url).group(1)
    assert page.locator("#id_recommendations-2-text").input_value() == texts[2]
    assert_accessible(page, axe_source, "visit form after saving")

    page.goto(f"/admin/support/report/?visit={visit_id}")
    assert "3 in all" in page.locator("main").inner_text()
    assert_accessible(page, axe_source, "visit report")

    # Build a pack from suggestions.
    page.goto(f"/admin/support/packs/add/?visit={visit_id}")
    assert page.locator("#id_title").input_value() == "Signposting pack for Sandwell"
    assert_accessible(page, axe_source, "new pack form")
    page.fill("#id_introduction", "Resources we discussed during the visit.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/support/packs/edit/\d+/"))
    pack_id = re.search(r"/edit/(\d+)/", page.url).group(1)

    page.goto(f"/admin/support/packs/{pack_id}/suggestions/")
    assert_accessible(page, axe_source, "suggestions")
    reasons = page.locator(".support-reason").all_inner_texts()
    assert any("Ethnicity" in r for r in reasons)
    assert any("child poverty" in r.lower() for r in reasons)
    # Nothing starts ticked: keep two topics whole, by keyboard.
    assert page.locator('input[name="suggestion"]:checked').count() == 0
    for box in page.locator('input[name="topic"]').all()[:2]:
        box.focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Add the ticked items to the pack").click()
    page.wait_for_url(re.compile(rf"/admin/support/packs/edit/{pack_id}/"))
    assert page.locator("[name$='-page']").count() >= 3
    assert_accessible(page, axe_source, "pack form with the added items")

    # Send it (email delivery may fail in this server: the sending is still recorded).
    page.goto(f"/admin/support/packs/{pack_id}/send/")
    assert_accessible(page, axe_source, "send form")
    page.fill("#id_recipients", "Ada Area <ada@example.org>")
    page.get_by_role("button", name="Send the pack").click()
    page.wait_for_url(re.compile(r"/admin/support/sent/\d+/"))
    assert_accessible(page, axe_source, "sending")
    share_url = page.locator("#share-link").get_attribute("href")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/packs/[A-Za-z0-9_-]{43}/", share_url)

    # Send the visit report to the area's lead.
    page.goto(f"/admin/support/visits/{visit_id}/report/")
    assert texts[0] in page.locator("main").inner_text()
    assert_accessible(page, axe_source, "visit report")
    page.fill("#send-report textarea[name=recipients]", "Lee Lead <lee@example.org>")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(re.compile(r"/admin/support/reports/\d+/"))
    assert texts[2] in page.locator("main").inner_text()
    assert_accessible(page, axe_source, "sent report")

    # A progress link for the area's lead, with an expiry date.
    page.goto(f"/admin/support/visits/{visit_id}/progress/")
    assert_accessible(page, axe_source, "progress from the area")
    page.fill("#id_recipient_name", "Lee Lead")
    page.fill("#id_expires_on", "2020-01-31")
    page.get_by_role("button", name="Make the link").click()
    assert "is already past" in page.locator("main").inner_text()  # a form error
    assert_accessible(page, axe_source, "progress link form with an error")
    page.fill("#id_expires_on", "2099-09-30")
    page.get_by_role("button", name="Make the link").click()
    page.wait_for_url(re.compile(rf"/admin/support/visits/{visit_id}/progress/#link-\d+"))
    progress_url = page.locator(".support-progress-link").first.get_attribute("href")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/progress/\d+\.[A-Za-z0-9_-]{43}/", progress_url)
    assert_accessible(page, axe_source, "progress link made")

    page.goto("/admin/support/coverage/")
    assert "Sandwell" in page.locator("main").inner_text()
    assert_accessible(page, axe_source, "coverage")

    # The area opens the link without signing in.
    area_context = page.context.browser.new_context()
    try:
        share = area_context.new_page()
        response = share.goto(share_url)
        assert response.status == 200
        assert share.locator("h1").inner_text() == "Signposting pack for Sandwell"
        assert share.locator('meta[name="robots"]').get_attribute("content").startswith("noindex")
        titles = share.locator(".kb-pack-items h3 a").all_inner_texts()
        assert len(titles) >= 3
        assert "Ada Area" not in share.content()
        assert_accessible(share, axe_source, "share page")

        with share.expect_download() as download_info:
            share.get_by_role("link", name="Download this pack as a PDF").click()
        download = download_info.value
        from pypdf import PdfReader

        data = Path(download.path()).read_bytes()
        assert data.startswith(b"%PDF")
        text = " ".join(
            page_.extract_text() for page_ in PdfReader(io.BytesIO(data)).pages
        ).replace("\n", " ")
        assert titles[0].split()[0] in text

        # The lead records progress through the private link, without signing in and with
        # JavaScript off (a plain form; axe, which needs script, checks the same pages below).
        no_script = page.context.browser.new_context(java_script_enabled=False)
        try:
            form = no_script.new_page()
            assert form.goto(progress_url).status == 200
            first = form.locator(
                "section", has=form.get_by_role("heading", name="Recommendation 1")
            )
            first.get_by_label("In progress").check()
            first.get_by_label("Comment on recommendation 1").fill(
                "Scorecard drafted for the board."
            )
            form.get_by_role("button", name="Save progress").click()
            form.wait_for_url(re.compile(r"/progress/[^/]+/\?saved=1$"))
            assert "progress on 1 recommendation is recorded" in form.locator("main").inner_text()
        finally:
            no_script.close()
        lead = area_context.new_page()
        response = lead.goto(progress_url)
        assert response.status == 200
        assert response.headers["referrer-policy"] == "same-origin"
        assert "no-store" in response.headers["cache-control"]
        assert [h for h in lead.locator("main h2").all_inner_texts() if "Recommendation" in h] == [
            "Recommendation 1",
            "Recommendation 2",
            "Recommendation 3",
        ]
        first = lead.locator("section", has=lead.get_by_role("heading", name="Recommendation 1"))
        assert first.get_by_label("In progress").is_checked()  # as saved
        assert "Last updated" in first.inner_text()
        assert_accessible(lead, axe_source, "progress page")
        # With script on, too; nothing changed, so nothing new is recorded.
        lead.get_by_role("button", name="Save progress").click()
        lead.wait_for_url(re.compile(r"/progress/[^/]+/\?saved=0$"))
        assert "nothing new was recorded" in lead.locator("main").inner_text()
        assert_accessible(lead, axe_source, "progress page after saving")
    finally:
        area_context.close()

    # The team sees who changed what, and when; then revokes the link, asked first.
    page.goto(f"/admin/support/visits/{visit_id}/progress/")
    history = page.locator("main").inner_text()
    assert "Not started → In progress" in history
    assert "Scorecard drafted for the board." in history and "Lee Lead" in history
    assert_accessible(page, axe_source, "progress history")
    page.get_by_role("link", name="Revoke the link for Lee Lead").click()
    assert "Lee Lead" in page.locator("main").inner_text()
    assert_accessible(page, axe_source, "revoke progress link")
    page.get_by_role("button", name="Yes, revoke the link").click()
    page.wait_for_url(re.compile(rf"/admin/support/visits/{visit_id}/progress/$"))
    gone = page.context.browser.new_page()
    try:
        response = gone.goto(progress_url)
        assert response.status == 410
        assert "withdrawn" in gone.locator("h1").inner_text()
        assert_accessible(gone, axe_source, "withdrawn progress link")
    finally:
        gone.close()

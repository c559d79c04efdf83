"""Two editors on one case study, autosave on: a stale form never overwrites the newer version.

Edna opens the page; Eddie saves a new summary; Edna's autosave and her "Save draft" are both
refused, Wagtail's "saved a new version" dialog says what will happen, the refusal shows what
differs, and only her explicit "Replace their version with mine" replaces Eddie's summary.
"""

import re

from .conftest import manage_shell
from .test_editorial_journey import sign_in

SETUP = """
import json
from django.contrib.auth.models import Group, User
from kb.models import CaseStudyPage
for name in ("edna", "eddie"):
    user, _ = User.objects.get_or_create(username=name, defaults={"email": name + "@example.invalid"})
    user.set_password("journey-pw-123")
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
page = CaseStudyPage.objects.live().get(slug="newcastle-young-fathers-barnardos")
print(json.dumps({"page": page.pk}))
"""
LATEST_SUMMARY = """
import json
from wagtail.models import Page
page = Page.objects.get(pk={pk})
print(json.dumps({{"summary": page.get_latest_revision().content["summary"]}}))
"""
EDDIE = "Eddie's checked summary: fathers met a Barnardo's worker every week."
EDNA = "Edna's rewrite of the summary."


def latest_summary(page_id):
    return manage_shell(LATEST_SUMMARY.format(pk=page_id))["summary"]


def is_autosave(response):
    return (
        response.request.method == "POST"
        and "/edit/" in response.url
        and response.request.headers.get("accept") == "application/json"
    )


# Wagtail notices changes only after it has read the form as loaded (two seconds in).
WATCHING = """document.addEventListener("w-unsaved:watch-edits", () => {
    document.documentElement.dataset.kbWatching = "yes";
});"""


def autosave_after(tab, action):
    """Run an action that changes the form and return the autosave request's JSON answer."""
    tab.locator("html[data-kb-watching=yes]").wait_for(state="attached")
    with tab.expect_response(is_autosave, timeout=60_000) as answer:
        action()
    return answer.value.json()


def test_a_refused_stale_edit_is_never_autosaved_and_replaces_only_by_choice(browser, site_url):
    page_id = manage_shell(SETUP)["page"]
    edit_url = f"/admin/pages/{page_id}/edit/"
    tabs = {}
    for name in ("edna", "eddie"):
        context = browser.new_context(base_url=site_url, viewport={"width": 1280, "height": 900})
        context.add_init_script(WATCHING)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        sign_in(tab, name)
        tab.goto(edit_url)
        tabs[name] = tab
    edna, eddie = tabs["edna"], tabs["eddie"]

    # Eddie's own autosave does not make his own "Save draft" stale.
    assert autosave_after(eddie, lambda: eddie.fill("#id_summary", EDDIE))["success"]
    with eddie.expect_navigation():
        eddie.get_by_role("button", name="Save draft").first.click()
    assert "Not saved" not in eddie.locator(".messages").inner_text()
    assert latest_summary(page_id) == EDDIE

    # Edna's form is stale: Wagtail's autosave refuses it, and its editing-session check then
    # learns of Eddie's version.
    with edna.expect_response(lambda r: "/editing-sessions/" in r.url):
        refused = autosave_after(edna, lambda: edna.fill("#id_summary", EDNA))
    assert refused["success"] is False
    # Her "Save draft": Wagtail's dialog says nothing is replaced yet; going on shows our
    # refusal with what differs.
    edna.get_by_role("button", name="Save draft").first.click()
    dialog = edna.locator("#w-save-confirmation-dialog")
    dialog.wait_for()
    assert "eddie saved a new version" in dialog.inner_text()
    assert "nothing is replaced until you choose" in dialog.inner_text().lower()
    # The re-shown form is unsaved and autosaves at once; its base is still stale, so Wagtail
    # refuses that autosave too.
    with edna.expect_response(is_autosave, timeout=60_000) as autosaved, edna.expect_navigation():
        dialog.get_by_role("button", name="Save draft").click()
    assert "Not saved: eddie saved a newer version" in edna.locator(".messages").inner_text()
    differences = edna.locator("#kb-stale-edit")
    assert EDDIE in differences.inner_text() and EDNA in differences.inner_text()
    assert edna.locator("#id_summary").input_value() == EDNA
    assert autosaved.value.json()["success"] is False
    assert latest_summary(page_id) == EDDIE

    # Only her explicit choice replaces Eddie's version.
    with edna.expect_navigation():
        differences.get_by_role("button", name="Replace their version with mine").click()
    assert "Not saved" not in edna.locator(".messages").inner_text()
    assert latest_summary(page_id) == EDNA
    # Enter in a list's filter box only filters: it never submits (saves) the page.
    submits = []
    edna.on(
        "request",
        lambda r: submits.append(r.url) if r.method == "POST" and "/edit/" in r.url else None,
    )
    edna.fill("#id_areas-filter", "Kirkl")
    edna.press("#id_areas-filter", "Enter")
    edna.get_by_text(re.compile(r"^1 of \d+ shown")).wait_for()
    assert submits == [] and edna.url.endswith(edit_url)

    for tab in (edna, eddie):
        tab.context.close()

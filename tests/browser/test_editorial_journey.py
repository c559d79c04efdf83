"""An editor drafts, previews and submits a case study; a moderator asks for a change; the editor
fixes it; the moderator approves; the public page passes axe. Real admin, real browser."""

import json
import re

from .conftest import manage_shell
from .test_accessibility import BLOCKING, run_axe

SETUP = """
import json
from django.contrib.auth.models import Group, User
from kb.models import CaseStudyIndexPage
for name, group in (("edna", "Editors"), ("moe", "Moderators")):
    user, _ = User.objects.get_or_create(username=name, defaults={"email": name + "@example.invalid"})
    user.set_password("journey-pw-123")
    user.save()
    user.groups.add(Group.objects.get(name=group))
print(json.dumps({"parent": CaseStudyIndexPage.objects.get().pk}))
"""
TITLE = "Stop-smoking home visits in Exampleton"


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "journey-pw-123")
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()


def click_action(page, text):
    """A footer action: the main button, or one in the footer's "More actions" menu (opened
    first; the header has "More actions" menus of its own)."""
    footer = page.locator("footer.footer")
    button = footer.get_by_role("button", name=text, exact=True)
    if not button.is_visible():
        footer.get_by_role("button", name="More actions").click()
    button.click()


def test_editor_to_moderator_to_public(browser, site_url, axe_source):
    ids = manage_shell(SETUP)
    editor_context = browser.new_context(base_url=site_url)
    editor = editor_context.new_page()
    editor.set_default_timeout(20_000)
    sign_in(editor, "edna")

    editor.goto(f"/admin/pages/add/kb/casestudypage/{ids['parent']}/")
    editor.fill("#id_title", TITLE)
    editor.fill(
        "#id_summary", "Advisers visit every home with a new baby to help parents stop smoking."
    )
    editor.fill("#id_areas-filter", "Kirkl")
    kirklees = editor.get_by_label("Kirklees", exact=True)
    kirklees.check()
    assert editor.locator("input[name=areas]:visible").count() < 10
    editor.get_by_role("button", name="Save draft").first.click()
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page_id = int(re.search(r"/admin/pages/(\d+)/edit/", editor.url).group(1))

    preview = editor_context.new_page()
    preview.goto(f"/admin/pages/{page_id}/view_draft/")
    assert preview.locator("h1").inner_text().endswith(TITLE)
    assert "Kirklees" in preview.locator(".kb-at-a-glance").inner_text()
    preview.close()

    editor.goto(f"/admin/pages/{page_id}/edit/")
    with editor.expect_navigation():
        click_action(editor, "Submit to Review and publish")
    assert "submitted for moderation" in editor.locator(".messages").inner_text()

    moderator_context = browser.new_context(base_url=site_url)
    moderator = moderator_context.new_page()
    moderator.set_default_timeout(20_000)
    sign_in(moderator, "moe")
    moderator.goto(f"/admin/pages/{page_id}/edit/")
    click_action(moderator, "Request changes")
    comment_dialog = moderator.locator(".modal")
    comment_dialog.locator("textarea[name=comment]").fill("Please say what was done.")
    with moderator.expect_navigation():
        comment_dialog.get_by_role("button", name="Request changes").click()

    editor.goto(f"/admin/pages/{page_id}/edit/")
    editor.fill("#id_what_was_done", "Trained advisers visited 300 homes.")
    with editor.expect_navigation():
        click_action(editor, "Resubmit to Moderator approval")
    assert "submitted for moderation" in editor.locator(".messages").inner_text()

    moderator.goto(f"/admin/pages/{page_id}/edit/")
    with moderator.expect_navigation():
        click_action(moderator, "Approve and Publish")

    public_context = browser.new_context(base_url=site_url)
    public = public_context.new_page()
    response = public.goto("/case-studies/")
    assert response.status == 200
    with public.expect_navigation():
        public.get_by_role("link", name=TITLE).click()
    assert "Trained advisers visited 300 homes." in public.locator("main").inner_text()
    assert "2010" not in public.locator("main").inner_text()
    violations = [v for v in run_axe(public, axe_source) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, indent=2)
    for context in (editor_context, moderator_context, public_context):
        context.close()

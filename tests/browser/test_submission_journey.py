"""Share your practice, end to end in a real browser: a practitioner on a phone with JavaScript
off submits and answers through the status link; a moderator finds the duplicate warning,
requests changes, then publishes; the practitioner says the page was useful; search finds the
page. axe checks the form and status page.

The acknowledgement email is checked over real HTTP in tests/submissions/test_journey.py (this
server runs in another process, so its locmem outbox is out of reach); here the practitioner
follows the status link the form's redirect gives, which is the one the email carries.
"""

import json
import re

from .conftest import manage_shell
from .test_accessibility import BLOCKING, run_axe

PHONE = {"width": 375, "height": 740}
TITLE = "Women of Childbearing Age social marketing in Kirklees, a phone-sent follow-up"
MODERATOR = """
import json
from django.contrib.auth.models import Group, User
user, _ = User.objects.get_or_create(username="sub-moe")
user.set_password("journey-pw-123")
user.save()
user.groups.add(Group.objects.get(name="Moderators"))
print(json.dumps({"ok": True}))
"""


def assert_accessible(page, axe_source):
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, indent=2)


def test_share_on_a_phone_without_javascript_then_moderate_and_find(browser, site_url, axe_source):
    manage_shell(MODERATOR)
    phone_context = browser.new_context(
        base_url=site_url, viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(20_000)

    phone.goto("/share-your-practice/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_label("Project name").fill(TITLE)
    phone.get_by_label("Area (optional)").select_option(label="Kirklees")
    phone.get_by_label("What was the problem?").fill(
        "Infant mortality in north Kirklees was among the highest in England."
    )
    phone.get_by_label("What was done?").fill(
        "A social marketing programme shaped services with women of childbearing age."
    )
    phone.locator("#id_outcome-0-measure").fill("Women reached")
    phone.locator("#id_outcome-0-value").fill("120")
    phone.get_by_label("Your name").fill("Pat Practitioner")
    phone.get_by_label("Your email address").fill("pat.practitioner@example.org")
    phone.get_by_label("I may share this work").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send for review").click()
    assert "Sent for review" in phone.content()
    status_url = phone.url.split("?")[0]
    reference = re.search(r"SP-[A-Z0-9]{8}", phone.content()).group(0)
    assert phone.locator("[data-status]").inner_text() == "Received"

    desk_context = browser.new_context(base_url=site_url)
    desk = desk_context.new_page()
    desk.set_default_timeout(20_000)
    desk.goto(status_url)
    assert_accessible(desk, axe_source)
    desk.goto("/share-your-practice/")
    assert_accessible(desk, axe_source)

    desk.goto("/admin/login/")
    desk.fill("#id_username", "sub-moe")
    desk.fill("#id_password", "journey-pw-123")
    with desk.expect_navigation():
        desk.locator("form button[type=submit]").first.click()
    desk.goto("/admin/submissions/")
    with desk.expect_navigation():
        desk.get_by_role("link", name=TITLE).click()
    assert reference in desk.content()
    assert "The Women of Childbearing Age (WoCBA) programme" in desk.content()
    desk.fill("#id_message", "How many women did the programme reach in total?")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Request changes").click()
    assert "Changes requested" in desk.content()

    phone.goto(status_url)
    assert phone.locator("[data-status]").inner_text() == "Changes requested"
    assert "How many women did the programme reach in total?" in phone.content()
    phone.get_by_label("Your answer").fill("About 1,200 women over two years.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send answer").click()
    assert "Your answer was sent to the moderators" in phone.content()
    assert phone.locator("[data-status]").inner_text() == "In review"

    desk.reload()
    assert "About 1,200 women over two years." in desk.content()
    with desk.expect_navigation():
        desk.get_by_role("button", name="Approve and publish").click()
    assert "the case study is published" in desk.content()

    phone.goto(status_url)
    assert phone.locator("[data-status]").inner_text() == "Published"
    with phone.expect_navigation():
        phone.get_by_role("link", name="Read your published case study").click()
    assert TITLE in phone.locator("h1").inner_text()
    with phone.expect_navigation():  # "Is this page useful?" without JavaScript, on a phone
        phone.get_by_role("button", name="Yes this page is useful").click()
    assert "Thank you for your feedback" in phone.content()
    phone.goto("/search/?q=phone-sent+follow-up+Kirklees")
    assert phone.get_by_role("link", name=TITLE).count() == 1
    assert "pat.practitioner@example.org" not in phone.content()
    phone_context.close()
    desk_context.close()

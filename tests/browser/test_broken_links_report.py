"""Reports → Broken links at 1,280 px: the "Held by" link stays in the window, field names read
as the edit form names them."""

import re

from .conftest import ADMIN_USER, manage_shell

SETUP = """
import json
from django.utils import timezone
from importers.models import LinkCheck
from kb.models import CaseStudyPage
page = CaseStudyPage.objects.live().first()
url = "http://www.example.invalid/" + "a-very-long-address-segment/" * 12 + "end"
page.what_was_done = page.what_was_done + " See " + url
page.save_revision().publish()
LinkCheck.objects.update_or_create(url=url, defaults={
    "checked_url": url, "status": 404, "outcome": "broken", "checked_at": timezone.now()})
print(json.dumps({"page": page.pk}))
"""


def test_the_broken_links_report_fits_a_1280_px_window(page):
    ids = manage_shell(SETUP)
    page.goto("/admin/login/")
    page.fill("input[name=username]", ADMIN_USER[0])
    page.fill("input[name=password]", ADMIN_USER[1])
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/admin/importers/broken-links/")
    held_by = page.locator(f'a[href="/admin/pages/{ids["page"]}/edit/"]').first
    box = held_by.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280, box
    cell = held_by.locator("xpath=..").inner_text()
    assert "(what was done)" in cell and "what_was_done" not in cell

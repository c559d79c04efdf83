"""The recommendation form fits the screen: the Category select (long category names) and its
error message stay inside the form at 1,280 px and at 375 px."""

import re

import pytest

from .test_support_journey import PASSWORD, team_member  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_the_category_field_fits_the_form(page, team_member, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/support/visits/add/")
    page.fill("#id_username", team_member)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/support/visits/add/"))
    page.locator("#id_recommendations-ADD").first.click()
    page.locator("#id_recommendations-0-text").fill("A recommendation")
    # Save with no category, so the field shows its error.
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    select = page.locator("#id_recommendations-0-category")
    select.scroll_into_view_if_needed()
    box = select.bounding_box()
    form = page.locator("#w-editor-form").bounding_box()
    assert box["width"] <= width, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= form["x"] + form["width"] + 1, (box, form)
    error = page.locator(
        "#panel-child-recommendations-0-category-errors, [id$='recommendations-0-category-errors']"
    ).first
    if error.count():
        error_box = error.bounding_box()
        assert error_box["x"] + error_box["width"] <= width, error_box

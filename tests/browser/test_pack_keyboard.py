"""A pack's items reordered with the keyboard alone (positions typed, each move announced), saved
and still in that order; the preview, then the page chooser's modal on the same form, pass axe."""

import json
import re

import pytest

from .conftest import manage_shell
from .test_accessibility import BLOCKING, run_axe
from .test_support_journey import PASSWORD, team_member  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser

TWELVE_ITEM_PACK = """
import json
from kb.models import Area, ResourcePage, CaseStudyPage
from support.models import Pack, PackItem
pages = list(ResourcePage.objects.live().order_by("pk")[:8]) + list(
    CaseStudyPage.objects.live().order_by("pk")[:4])
pack = Pack(title="Keyboard pack for Kirklees", area=Area.objects.get(slug="kirklees"))
for n, page in enumerate(pages):
    pack.items.add(PackItem(page=page, sort_order=n))
pack.save()
print(json.dumps({"pk": pack.pk, "titles": [p.title for p in pages]}))
"""

SAVED_ORDER = """
import json
from support.models import PackItem
print(json.dumps([i.page.title for i in PackItem.objects.filter(pack_id={pk}).order_by("sort_order")]))
"""


def shown_titles(page):
    return [
        " ".join(t.split())
        for t in page.locator(
            "#id_items-FORMS > [data-inline-panel-child]:not(.deleted) [data-chooser-title]"
        ).all_inner_texts()
    ]


def announced(page):
    return page.locator("[data-support-position-announcer]").inner_text()


def test_reorder_a_pack_by_keyboard_and_the_chooser_passes_axe(
    page,
    axe_source,
    team_member,  # noqa: F811
):
    pack = manage_shell(TWELVE_ITEM_PACK)
    titles = [" ".join(t.split()) for t in pack["titles"]]
    page.goto(f"/admin/support/packs/edit/{pack['pk']}/")
    page.fill("#id_username", team_member)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/admin/support/packs/edit/{pack['pk']}/"))
    assert shown_titles(page) == titles

    # The last item to the top: its position field, a new number, Enter (the form is not sent).
    last = page.locator("#id_items-11-ORDER")
    last.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    assert shown_titles(page)[0] == titles[11]
    page.locator("[data-support-position-announcer]", has_text="position 1 of 12").wait_for(
        state="attached"
    )
    assert f"{titles[11]} is now at position 1 of 12." == " ".join(announced(page).split())
    assert page.locator("#id_items-11-ORDER").evaluate("el => el === document.activeElement")
    # The first item down one place with the arrow key (a number field: up is one more).
    page.locator("#id_items-0-ORDER").focus()
    page.keyboard.press("ArrowUp")
    expected = [titles[11], titles[1], titles[0], *titles[2:11]]
    assert shown_titles(page) == expected
    # A number typed then Tab: the item moves and the focus goes on to the next field.
    page.locator("#id_items-2-ORDER").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    expected = [*expected[:3], *expected[4:], expected[3]]
    page.locator("[data-support-position-announcer]", has_text="position 12 of 12").wait_for(
        state="attached"
    )
    assert shown_titles(page) == expected
    assert page.evaluate("document.activeElement.closest('#inline_child_items-2') !== null")
    assert not page.locator("#id_items-2-ORDER").evaluate("el => el === document.activeElement")
    numbers = page.locator(
        "#id_items-FORMS > [data-inline-panel-child] [data-support-position]"
    ).evaluate_all("els => els.map(el => el.value)")
    assert numbers == [str(n) for n in range(1, 13)]

    # Save from the keyboard; the order is kept, in the database and on the page.
    page.get_by_role("button", name="Save", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    saved = [" ".join(t.split()) for t in manage_shell(SAVED_ORDER.format(pk=pack["pk"]))]
    assert saved == expected
    assert shown_titles(page) == expected

    # The preview (the share page and the email, nothing sent) passes axe too.
    page.goto(f"/admin/support/packs/{pack['pk']}/preview/")
    assert page.locator("h1").inner_text() == "Keyboard pack for Kirklees"
    assert "Nothing has been sent" in page.locator("main").inner_text()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, "preview\n" + json.dumps(violations, indent=2)
    page.goto(f"/admin/support/packs/edit/{pack['pk']}/")

    # The page chooser's modal, opened on a new item: no serious or critical finding.
    page.locator("#id_items-ADD").click()
    new_item = page.locator("#inline_child_items-12")
    new_item.get_by_role("button", name=re.compile("Choose a page")).click()
    page.locator(".modal-body input[name=q]").wait_for()
    assert_chooser_accessible(page, axe_source, "the chooser as it opens")
    # Down the tree to the resources, then a search: the modal's content is replaced each time.
    with page.expect_response(re.compile(r"/admin/choose-page/\d+/")):
        page.locator(".modal-body tr", has_text="Resources").locator("a.navigate-pages").click()
    page.locator(".modal-body table").wait_for()
    assert_chooser_accessible(page, axe_source, "resources in the chooser")
    with page.expect_response(re.compile(r"/admin/choose-page/search/")):
        page.locator(".modal-body input[name=q]").fill("breastfeeding")
    page.locator(".modal-body table").wait_for()
    # A hovered result row turns teal: its "Parent" link must stay readable on it.
    page.locator(".modal-body tbody tr").first.hover()
    assert_chooser_accessible(page, axe_source, "a search in the chooser, a row hovered")


def assert_chooser_accessible(page, axe_source, where):
    # Named after its heading, as a screen reader announces it.
    page.get_by_role("dialog", name=re.compile(r"^Choose")).wait_for()
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, where + "\n" + json.dumps(violations, indent=2)

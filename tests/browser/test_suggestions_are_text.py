"""Finding 3 (issue 24): a suggestion is a page title shown as text, never as HTML.

accessible-autocomplete inserts each suggestion as HTML unless it is given a template, so a page
titled with markup would become a real element in the menu (only the CSP stops its script).
"""

import json

import pytest

from .conftest import manage_shell

MARKER = "Zqhostile"
HOSTILE_TITLE = f'{MARKER} <img src=x id="kb-injected" onerror="document.title=1"> <b>bold</b>'


@pytest.fixture(scope="module")
def hostile_page(site_url):
    """A published case study whose title is markup, removed again afterwards."""
    code = (
        "import json\n"
        "from kb.models import CaseStudyPage\n"
        "source = CaseStudyPage.objects.live().first()\n"
        f"copy = source.copy(update_attrs={{'title': {HOSTILE_TITLE!r}, "
        "'slug': 'zq-hostile-title'}, keep_live=False)\n"
        "copy.save_revision().publish()\n"
        "print(json.dumps(copy.pk))\n"
    )
    page_id = manage_shell(code)
    yield page_id
    manage_shell(
        "from wagtail.models import Page\n"
        f"Page.objects.get(pk={page_id}).specific.unpublish()\n"
        f"Page.objects.get(pk={page_id}).delete()\n"
        "print('null')\n"
    )


def test_a_title_with_markup_is_suggested_as_text(page, hostile_page):
    page.goto("/search/")
    page.locator("#q").press_sequentially(MARKER, delay=30)
    option = page.locator("#q__listbox [role=option]").first
    option.wait_for()
    assert MARKER in option.inner_text()
    assert "<img" in option.inner_text() and "<b>bold</b>" in option.inner_text()
    # No element came from the title: no image, no bold, nothing with the injected id.
    assert page.locator("#kb-injected").count() == 0
    assert page.locator("#q__listbox img, #q__listbox b").count() == 0
    print(json.dumps({"option": option.inner_text()}))

"""What our own tests check, so the statement claims exactly that and nothing more.

`tests/browser/test_accessibility.py` runs axe-core on every page in `checked_pages()` and fails
when it finds a serious or critical violation, or any violation whose rule is not listed in
`KNOWN_ISSUES`. The statement lists both, so it can never say more than the tests show.
"""

from search.links import search_url


def checked_pages():
    """Page kind -> (address, the status it must answer with). A form error is still the
    search page. A function: search addresses come from its route (search.links)."""
    return {
        "home": ("/", 200),
        "search results": (search_url("breastfeeding", {"type": ["case_study"]}), 200),
        "search with no results": (search_url("zzzzqqqq"), 200),
        "search error": (search_url("x" * 201), 200),
        "case study index": ("/case-studies/", 200),
        "case study": ("/case-studies/kirklees-wocba/", 200),
        "resource index": ("/resources/", 200),
        "resource": ("/resources/npeu-evidence-map/", 200),
        "evidence index": ("/evidence/", 200),
        "theme hub": ("/evidence/housing/", 200),
        "national picture": ("/evidence/national-picture/", 200),
        "area index": ("/areas/", 200),
        "area": ("/areas/kirklees/", 200),
        "news index": ("/news/", 200),
        "glossary": ("/glossary/", 200),
        "not found": ("/no-such-page/", 404),
        "accessibility statement": ("/accessibility/", 200),
        "report a problem form": ("/feedback/problem/?page=/", 200),
        "share your practice form": ("/share-your-practice/", 200),
    }


# axe rules that fail on a checked page at a lower impact (moderate or minor), with what a
# reader meets. Empty: axe finds no violation of any impact on the checked pages.
KNOWN_ISSUES: dict[str, str] = {}

# What our automated checks do not cover, so nothing is claimed for it.
NOT_CHECKED = [
    "The editors' admin area (Wagtail's admin), used only by signed-in editors and moderators.",
    "Signposting packs downloaded as PDF by the national support team.",
    "Documents attached to pages (PDF, Word, Excel and PowerPoint files).",
    "Automated checks find only some kinds of problem. The site has not yet been audited by "
    "accessibility specialists or tested by disabled users.",
]

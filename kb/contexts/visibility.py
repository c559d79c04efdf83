"""The one rule for "a page anyone may see": published, and not in a view-restricted section.

Listings, feeds, search documents and the sitemap all ask here, so a page hidden from one is
hidden from all.
"""

from wagtail.models import Page


def private_q(request=None):
    """Which pages sit in a view-restricted section.

    With a request the restrictions are read once for it, not once for each listing on a page.
    """
    if request is None:
        return Page.objects.all().private_q()
    cached = getattr(request, "_kb_private_q", None)
    if cached is None:
        cached = Page.objects.all().private_q()
        request._kb_private_q = cached
    return cached


def public(pages, request=None):
    """The live pages anyone may see, of a page model or a page queryset.

    The same rule as Wagtail's `.live().public()`.
    """
    queryset = pages.objects.all() if isinstance(pages, type) else pages
    return queryset.live().exclude(private_q(request))

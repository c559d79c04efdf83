"""What every page's chrome needs: the site name, the search box's current query, and the
templates other apps add to every page (settings.KB_PAGE_EXTRAS), so kb imports none of them."""

from django.conf import settings


def site_chrome(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_search_query": request.GET.get("q", "")[:200] if request else "",
        "page_extras": getattr(settings, "KB_PAGE_EXTRAS", {}),
    }

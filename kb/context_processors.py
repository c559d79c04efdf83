"""What every page's chrome needs: the site name and the search box's current query."""

from django.conf import settings


def site_chrome(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_search_query": request.GET.get("q", "")[:200] if request else "",
    }

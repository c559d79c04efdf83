"""What every page's chrome needs: the site name and the templates other apps add to every page
(settings.KB_PAGE_EXTRAS), so kb imports none of them. The search box's query is search's
(search.context_processors)."""

from django.conf import settings


def site_chrome(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "page_extras": getattr(settings, "KB_PAGE_EXTRAS", {}),
    }

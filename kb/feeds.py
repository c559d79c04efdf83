"""Atom feeds of new case studies and resources, site-wide and per theme.

Practitioners on locked-down machines often can't install tools but can subscribe in Outlook:
a feed lets them hear about new practice without visiting.
"""

from itertools import chain

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .contexts.links import theme_search_url
from .contexts.visibility import public
from .models import CaseStudyPage, EvidenceSummaryPage, ResourcePage, Theme

FEED_SIZE = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom with `<summary type="text">`: summaries are plain text an editor typed.

    Django's Atom1Feed always says type="html", so a feed reader would render any markup in a
    summary instead of showing it.
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def newest_case_studies_and_resources(theme=None, limit=FEED_SIZE):
    """Newest first by first publication; both kinds merged into one list.

    A theme's feed covers the theme and the themes under it, as its hub and home tile do.
    """
    querysets = []
    for model in (CaseStudyPage, ResourcePage):
        queryset = public(model).prefetch_related("themes")
        if theme is not None:
            queryset = queryset.filter(themes__in=theme.family()).distinct()
        querysets.append(queryset.order_by("-first_published_at", "-pk")[:limit])
    items = sorted(
        chain(*querysets),
        key=lambda page: (page.first_published_at is not None, page.first_published_at, page.pk),
        reverse=True,
    )
    return items[:limit]


class LatestFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = "New case studies and resources"
    subtitle = (
        "New local practice and resources in the infant and maternal health inequalities "
        "knowledge base."
    )

    def link(self):
        return "/"

    def feed_url(self):
        return reverse("feed-latest")

    def items(self):
        return newest_case_studies_and_resources()

    def item_title(self, item):
        return f"{item.type_label}: {item.title}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class ThemeFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, theme):
        return f"New case studies and resources: {theme.name}"

    def subtitle(self, theme):
        return f"New local practice and resources tagged {theme.name}."

    def feed_url(self, theme):
        return reverse("feed-theme", args=[theme.slug])

    def link(self, theme):
        """The theme's hub where it has one, else a search over the same themes."""
        hub = public(EvidenceSummaryPage).filter(theme=theme).first()
        return (hub.url if hub else "") or theme_search_url(theme)

    def items(self, theme):
        return newest_case_studies_and_resources(theme)

"""Site-wide routes that are not Wagtail pages (sitemap, robots, feeds, the area picker)."""

from django.urls import path
from django.views.generic import TemplateView
from wagtail.contrib.sitemaps.views import sitemap

from . import views
from .feeds import LatestFeed, ThemeFeed

urlpatterns = [
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("feeds/latest.atom", LatestFeed(), name="feed-latest"),
    path("feeds/themes/<slug:slug>.atom", ThemeFeed(), name="feed-theme"),
    path("areas/go/", views.go_to_area, name="go-to-area"),
    path("cite/<int:page_id>.ris", views.cite, {"style": "ris"}, name="cite-ris"),
    path("cite/<int:page_id>.bib", views.cite, {"style": "bibtex"}, name="cite-bibtex"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_view, name="importers_import"),
    path(
        "broken-links/",
        views.BrokenLinksReport.as_view(),
        name="importers_broken_links",
    ),
    path(
        "broken-links/results/",
        views.BrokenLinksReport.as_view(results_only=True),
        name="importers_broken_links_results",
    ),
    path("suggestions/<int:page_id>/", views.suggestions_view, name="importers_suggestions"),
    path("suggestions.json", views.suggestions_json, name="importers_suggestions_json"),
]

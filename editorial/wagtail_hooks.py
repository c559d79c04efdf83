"""Admin pieces: the "Due for review" dashboard panel, the overdue report, the editor's guide."""

from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import views
from .reviews import DUE_SOON_DAYS, owner_label, pages_due

PANEL_ROWS = 10


class DueForReviewPanel(Component):
    name = "due_for_review"
    template_name = "editorial/due_for_review_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        due = pages_due(today, within_days=DUE_SOON_DAYS)
        return {
            "rows": [
                {
                    "page": page,
                    "due": page.next_review_due(),
                    "overdue": page.next_review_due() < today,
                    "owner": owner_label(page),
                }
                for page in due[:PANEL_ROWS]
            ],
            "total": len(due),
            "days": DUE_SOON_DAYS,
            "report_url": reverse("editorial_overdue"),
        }


class EditingGuidePanel(Component):
    name = "editing_guide"
    template_name = "editorial/editing_guide_panel.html"
    order = 10

    def get_context_data(self, parent_context):
        return {"guide_url": reverse("editorial_guide")}


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    panels.append(EditingGuidePanel())
    if views.can_see_reviews(request.user):
        panels.append(DueForReviewPanel())


@hooks.register("register_admin_viewset")
def page_viewsets():
    return views.page_viewsets()


@hooks.register("register_admin_urls")
def urls():
    return [
        path("reports/overdue-for-review/", views.overdue_report, name="editorial_overdue"),
        path("editing-guide/", views.editing_guide, name="editorial_guide"),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_see_reviews(request.user)


@hooks.register("register_reports_menu_item")
def overdue_menu_item():
    return ReviewMenuItem(
        "Overdue for review", reverse("editorial_overdue"), icon_name="date", order=900
    )

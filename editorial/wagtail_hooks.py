"""Admin pieces: the "Due for review" and "Proposed areas and organisations" dashboard panels,
the overdue report, the editor's guide, and the moderators' email about a proposal."""

from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from kb.models.taxonomy import Proposable

from . import proposals, views
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


class ProposalsPanel(Component):
    """What editors proposed, for whoever may confirm it (moderators and superusers)."""

    name = "proposals"
    template_name = "editorial/proposals_panel.html"
    order = 80

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {
            "rows": [
                {"item": item, "kind": item._meta.verbose_name, "url": proposals.edit_url(item)}
                for item in self.rows
            ]
        }


def can_confirm(user, model):
    return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    panels.append(EditingGuidePanel())
    if views.can_see_reviews(request.user):
        panels.append(DueForReviewPanel())
    waiting = [item for item in proposals.open_proposals() if can_confirm(request.user, type(item))]
    if waiting:
        panels.append(ProposalsPanel(waiting))


@hooks.register("after_create_snippet")
def tell_moderators_of_a_proposal(request, instance):
    if isinstance(instance, Proposable) and not instance.confirmed:
        proposals.notify_moderators(instance)


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

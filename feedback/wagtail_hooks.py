"""Feedback in the admin: a report under Reports, and a count on each page's edit view."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from . import admin_views, records


@hooks.register("register_admin_urls")
def urls():
    return [
        path("reports/page-feedback/", admin_views.feedback_report, name="feedback_report"),
        path(
            "reports/page-feedback/<int:page_id>/",
            admin_views.page_feedback,
            name="feedback_page",
        ),
    ]


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_feedback(request.user)


@hooks.register("register_reports_menu_item")
def feedback_menu_item():
    return FeedbackMenuItem(
        "Page feedback", reverse("feedback_report"), icon_name="comment", order=910
    )


@hooks.register("register_page_header_buttons")
def feedback_count_button(page, user, view_name, next_url=None):
    if view_name == "edit" and admin_views.can_see_feedback(user):
        count = records.count_for_page(page.pk)
        yield Button(
            f"Reader feedback ({count})",
            reverse("feedback_page", args=[page.pk]),
            icon_name="comment",
            priority=70,
        )

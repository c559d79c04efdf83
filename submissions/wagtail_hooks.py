"""Submissions in the admin: the dashboard panel, the list, the report, and a pointer from the
draft's edit view back to where it came from. No snippet or model viewset is registered, so
Wagtail adds no chooser, history or usage view for these private models."""

from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import Button

from . import admin_views, queries

PANEL_ROWS = 10


class NewSubmissionsPanel(Component):
    name = "new_submissions"
    template_name = "submissions/panel.html"
    order = 80

    def get_context_data(self, parent_context):
        now = timezone.now()
        rows = queries.open_submissions()
        return {
            "rows": [
                {"submission": s, "age_days": (now - s.created_at).days} for s in rows[:PANEL_ROWS]
            ],
            "total": len(rows),
            "list_url": reverse("submissions_list"),
            "report_url": reverse("submissions_report"),
        }


@hooks.register("construct_homepage_panels")
def add_panel(request, panels):
    if admin_views.can_moderate(request.user):
        panels.append(NewSubmissionsPanel())


@hooks.register("register_admin_urls")
def urls():
    return [
        path("submissions/", admin_views.submission_list, name="submissions_list"),
        path("submissions/report/", admin_views.submission_report, name="submissions_report"),
        path("submissions/<int:pk>/", admin_views.submission_detail, name="submissions_detail"),
        path("submissions/<int:pk>/act/", admin_views.submission_act, name="submissions_act"),
    ]


class ModeratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_moderate(request.user)


@hooks.register("register_admin_menu_item")
def submissions_menu_item():
    return ModeratorsMenuItem(
        "Practitioner submissions", reverse("submissions_list"), icon_name="mail", order=260
    )


@hooks.register("register_reports_menu_item")
def submissions_report_menu_item():
    return ModeratorsMenuItem(
        "Submissions: arrivals and review time",
        reverse("submissions_report"),
        icon_name="mail",
        order=920,
    )


@hooks.register("register_page_header_buttons")
def submission_button(page, user, view_name, next_url=None):
    if view_name == "edit" and admin_views.can_moderate(user):
        submission = queries.for_page(page.pk)
        if submission is not None:
            yield Button(
                f"Practitioner's submission {submission.reference}",
                reverse("submissions_detail", args=[submission.pk]),
                icon_name="mail",
                priority=60,
            )


@hooks.register("before_edit_page")
def say_where_it_came_from(request, page):
    """The draft's origin, its duplicate warning and the submitter's answers, above the form."""
    if request.method != "GET" or not admin_views.can_moderate(request.user):
        return None
    submission = queries.for_page(page.pk)
    if submission is None:
        return None
    parts = [
        f"This draft came from a practitioner's submission ({submission.reference}, "
        f"{submission.get_status_display().lower()})."
    ]
    if submission.duplicates:
        titles = "; ".join(d["title"] for d in submission.duplicates[:3])
        parts.append(f"It may duplicate: {titles}.")
    answers = submission.replies.count()
    if answers:
        parts.append(f"The submitter answered {answers} time{'s' if answers > 1 else ''}.")
    messages.info(
        request,
        " ".join(parts),
        buttons=[
            messages.button(
                reverse("submissions_detail", args=[submission.pk]), "See the submission"
            )
        ],
    )
    return None

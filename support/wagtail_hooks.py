"""The workspace in the Wagtail admin: snippet viewsets (history, delete confirmation and
permissions come from Wagtail), the extra views, a "Support team" menu, and the dashboard's
"Due and overdue" panel. Everything is shown only to users with the workspace's permissions.
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from . import views
from .due import DUE_SOON_DAYS, due_follow_ups
from .forms import FollowUpForm, PackForm, RecommendationForm, VisitForm
from .models import FollowUp, Pack, PackSending, Recommendation, Visit


class WorkspaceMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_use_workspace(request.user)


# --- Visits ------------------------------------------------------------------------------


class WorkspaceFormMixin:
    """The workspace saves only when a team member presses Save (no autosave: items added and
    not saved were kept, and the history filled with edits nobody saved), and after saving the
    team stays on the record rather than going back to the list."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False

    def get_success_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])


class WorkspaceCreateView(WorkspaceFormMixin, CreateView):
    pass


class WorkspaceEditView(WorkspaceFormMixin, EditView):
    pass


class WorkspaceViewSet(SnippetViewSet):
    """Edit and create forms with a heading of their own (Wagtail's have no <h1>)."""

    edit_template_name = "support/admin/edit.html"
    create_template_name = "support/admin/create.html"


class VisitEditView(WorkspaceEditView):
    @property
    def header_buttons(self):
        visit = self.object
        return [
            *super().header_buttons,
            HeaderButton(
                "New pack for this visit",
                url=reverse("support_packs:add") + f"?visit={visit.pk}",
                icon_name="doc-full",
            ),
            HeaderButton(
                "Visit report",
                url=reverse("support-visit-report", args=[visit.pk]),
                icon_name="doc-full-inverse",
            ),
            HeaderButton(
                "Recommendations by category",
                url=reverse("support-report") + f"?visit={visit.pk}",
                icon_name="table",
            ),
            HeaderButton(
                "Recommendations as CSV",
                url=reverse("support_recommendations:list") + f"?visit={visit.pk}&export=csv",
                icon_name="download",
            ),
            HeaderButton(
                "Progress from the area",
                url=reverse("support-visit-progress", args=[visit.pk]),
                icon_name="tasks",
            ),
        ]

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                "Area history",
                url=reverse("support-area", args=[self.object.area_id]),
                icon_name="history",
                priority=31,
            )
        )
        return buttons


class VisitIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("area", "lead")


class VisitViewSet(WorkspaceViewSet):
    model = Visit
    icon = "calendar"
    menu_label = "Visits"
    url_prefix = "support/visits"
    url_namespace = "support_visits"
    list_display = ["area", "start_date", "end_date", "status", "lead_name"]
    list_filter = ["status", "area"]
    search_fields = ["area__name", "notes"]
    search_backend_name = None  # private: filtered in the database, never put in a search index
    ordering = ["-start_date"]
    add_view_class = WorkspaceCreateView
    edit_view_class = VisitEditView
    index_view_class = VisitIndexView
    edit_handler = ObjectList(Visit.panels, base_form_class=VisitForm)


# --- Recommendations ---------------------------------------------------------------------


class RecommendationIndexView(IndexView):
    def get_base_queryset(self):
        # The area's updates (newest first) for the progress columns and the CSV.
        return (
            super()
            .get_base_queryset()
            .select_related("visit__area", "theme")
            .prefetch_related("progress_updates")
        )


class RecommendationEditView(WorkspaceEditView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                "Progress from the area",
                url=reverse("support-visit-progress", args=[self.object.visit_id])
                + f"#recommendation-{self.object.pk}",
                icon_name="tasks",
            ),
        ]


class RecommendationFilterSet(WagtailFilterSet):
    # Visits are named by their area: read with them, not one query per option.
    visit = django_filters.ModelChoiceFilter(
        queryset=Visit.objects.select_related("area"), label="Visit"
    )

    class Meta:
        model = Recommendation
        fields = ["progress", "priority", "theme", "visit__area", "visit"]


class RecommendationViewSet(WorkspaceViewSet):
    model = Recommendation
    icon = "list-ul"
    menu_label = "Recommendations"
    url_prefix = "support/recommendations"
    url_namespace = "support_recommendations"
    list_display = [
        "__str__",
        "visit",
        "theme",
        "category",
        "priority",
        "progress",
        "progress_updated",
    ]
    filterset_class = RecommendationFilterSet
    # "Download CSV" exports what the list shows, with the same filters (and ?visit=<id>).
    list_export = [
        "visit.area.name",
        "visit",
        "text",
        "theme.name",
        "category",
        "get_priority_display",
        "owner_role",
        "get_progress_display",
        "progress_notes",
        "area_comment",
        "progress_updated",
    ]
    export_headings = {
        "visit.area.name": "Area",
        "visit": "Visit",
        "text": "Recommendation",
        "theme.name": "Theme",
        "category": "Category",
        "get_priority_display": "Priority",
        "owner_role": "Owned by",
        "get_progress_display": "Progress",
        "progress_notes": "Progress notes",
        "area_comment": "Area's latest comment",
        "progress_updated": "Progress last updated by the area",
    }
    export_filename = "recommendations"
    search_fields = ["text", "category", "owner_role"]
    search_backend_name = None
    index_view_class = RecommendationIndexView
    add_view_class = WorkspaceCreateView
    edit_view_class = RecommendationEditView
    edit_handler = ObjectList(
        [FieldPanel("visit"), *Recommendation.panels], base_form_class=RecommendationForm
    )


# --- Follow-ups --------------------------------------------------------------------------


class FollowUpIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("visit__area", "owner")


class FollowUpViewSet(WorkspaceViewSet):
    model = FollowUp
    icon = "date"
    menu_label = "Follow-ups"
    url_prefix = "support/follow-ups"
    url_namespace = "support_follow_ups"
    list_display = ["visit", "kind", "due_date", "owner_name", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["notes", "visit__area__name"]
    search_backend_name = None
    ordering = ["due_date"]
    index_view_class = FollowUpIndexView
    add_view_class = WorkspaceCreateView
    edit_view_class = WorkspaceEditView
    edit_handler = ObjectList(FollowUp.panels, base_form_class=FollowUpForm)


# --- Packs -------------------------------------------------------------------------------


class PackCreateView(WorkspaceCreateView):
    def get_initial_form_instance(self):
        visit_id = self.request.GET.get("visit", "")
        visit = (
            Visit.objects.select_related("area").filter(pk=visit_id).first()
            if visit_id.isdigit()
            else None
        )
        if visit is None:
            return super().get_initial_form_instance()
        return Pack(visit=visit, area=visit.area, title=f"Signposting pack for {visit.area.name}")


class PackEditView(WorkspaceEditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons += [
            Button(
                "Suggest items",
                url=reverse("support-pack-suggestions", args=[self.object.pk]),
                icon_name="search",
                priority=5,
            ),
            Button(
                "Preview as recipients will see it",
                url=reverse("support-pack-preview", args=[self.object.pk]),
                icon_name="view",
                priority=6,
            ),
            Button(
                "Send this pack",
                url=reverse("support-pack-send", args=[self.object.pk]),
                icon_name="mail",
                priority=7,
            ),
        ]
        return buttons


class PackDeleteView(DeleteView):
    """A pack that was sent is part of the record: it cannot be deleted."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.sendings.exists():
            messages.error(
                request, "This pack has been sent, so it is kept: sent packs are never deleted."
            )
            return redirect("support_packs:edit", self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class PackIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("area", "visit__area")


class PackViewSet(WorkspaceViewSet):
    model = Pack
    icon = "doc-full"
    menu_label = "Signposting packs"
    url_prefix = "support/packs"
    url_namespace = "support_packs"
    list_display = ["title", "area", "visit"]
    list_filter = ["area"]
    search_fields = ["title", "area__name"]
    search_backend_name = None
    add_view_class = PackCreateView
    edit_view_class = PackEditView
    delete_view_class = PackDeleteView
    index_view_class = PackIndexView
    edit_handler = ObjectList(Pack.panels, base_form_class=PackForm)


class SendingIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("pack__area", "sent_by")

    def get_edit_url(self, instance):
        return reverse("support-sending", args=[instance.pk])


class SendingEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        return redirect("support-sending", kwargs["pk"])


class SendingCreateView(CreateView):
    """Sendings are made by sending a pack, never by hand."""

    def dispatch(self, request, *args, **kwargs):
        messages.info(request, "To send a pack, open it and choose Send this pack.")
        return redirect("support_packs:list")


class SendingDeleteView(DeleteView):
    def dispatch(self, request, *args, **kwargs):
        messages.error(request, "Sendings are the record of what was sent: they are never deleted.")
        return redirect("support-sending", kwargs["pk"])


class PackSendingViewSet(SnippetViewSet):
    model = PackSending
    icon = "mail"
    menu_label = "Sendings"
    url_prefix = "support/sendings"
    url_namespace = "support_sendings"
    list_display = ["__str__", "pack", "sent_at", "sender_name", "recipient_count", "link_state"]
    list_filter = ["pack__area"]
    search_fields = ["pack__title"]
    search_backend_name = None
    index_view_class = SendingIndexView
    add_view_class = SendingCreateView
    copy_view_enabled = False
    edit_view_class = SendingEditView
    delete_view_class = SendingDeleteView


class SupportGroup(SnippetViewSetGroup):
    menu_label = "Support team"
    menu_icon = "group"
    menu_order = 150
    items = (VisitViewSet, RecommendationViewSet, FollowUpViewSet, PackViewSet, PackSendingViewSet)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        order = len(items) + 1
        for label, name, icon in (
            ("Sent visit reports", "support-sent-reports", "mail"),
            ("By category", "support-report", "table"),
            ("Areas", "support-areas", "site"),
            ("Coverage", "support-coverage", "table"),
        ):
            items.append(WorkspaceMenuItem(label, reverse(name), icon_name=icon, order=order))
            order += 1
        return items


register_snippet(SupportGroup)


@hooks.register("register_admin_urls")
def support_admin_urls():
    return [
        path(
            "support/packs/<int:pk>/suggestions/",
            views.pack_suggestions,
            name="support-pack-suggestions",
        ),
        path("support/packs/<int:pk>/send/", views.pack_send, name="support-pack-send"),
        path("support/packs/<int:pk>/preview/", views.pack_preview, name="support-pack-preview"),
        path(
            "support/packs/<int:pk>/preview/pdf/",
            views.pack_preview_pdf,
            name="support-pack-preview-pdf",
        ),
        path("support/sent/<int:pk>/", views.sending_detail, name="support-sending"),
        path(
            "support/sent/<int:pk>/send-again/",
            views.sending_send_again,
            name="support-sending-resend",
        ),
        path("support/sent/<int:pk>/revoke/", views.sending_revoke, name="support-sending-revoke"),
        path("support/sent/<int:pk>/expiry/", views.sending_expiry, name="support-sending-expiry"),
        path("support/visits/<int:pk>/report/", views.visit_report, name="support-visit-report"),
        path(
            "support/visits/<int:pk>/report/pdf/",
            views.visit_report_pdf,
            name="support-visit-report-pdf",
        ),
        path("support/reports/", views.sent_reports, name="support-sent-reports"),
        path("support/reports/<int:pk>/", views.sent_report, name="support-sent-report"),
        path(
            "support/reports/<int:pk>/pdf/", views.sent_report_pdf, name="support-sent-report-pdf"
        ),
        path(
            "support/visits/<int:pk>/progress/",
            views.visit_progress,
            name="support-visit-progress",
        ),
        path(
            "support/progress-links/<int:pk>/revoke/",
            views.progress_link_revoke,
            name="support-progress-link-revoke",
        ),
        path("support/report/", views.recommendation_report, name="support-report"),
        path("support/areas/", views.area_index, name="support-areas"),
        path("support/areas/<int:pk>/", views.area_history, name="support-area"),
        path("support/coverage/", views.coverage, name="support-coverage"),
    ]


@hooks.register("register_log_actions")
def support_log_actions(actions):
    actions.register_action("support.send", "Send pack", "Pack sent")
    actions.register_action("support.send_report", "Send visit report", "Visit report sent")
    actions.register_action("support.resend", "Send pack again", "Pack sent again")
    actions.register_action("support.revoke", "Revoke share link", "Share link revoked")
    actions.register_action("support.expiry", "Set link expiry", "Share link expiry changed")
    actions.register_action("support.progress_link", "Make progress link", "Progress link made")
    actions.register_action(
        "support.progress_revoke", "Revoke progress link", "Progress link revoked"
    )


@hooks.register("insert_global_admin_css")
def support_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("support/admin.css"))


# --- Dashboard ---------------------------------------------------------------------------


class DueFollowUpsPanel(Component):
    name = "support_due"
    order = 50
    template_name = "support/admin/due_panel.html"

    def get_context_data(self, parent_context):
        overdue, due_soon = due_follow_ups()
        return {"overdue": overdue, "due_soon": due_soon, "days": DUE_SOON_DAYS}


@hooks.register("construct_homepage_panels")
def add_due_panel(request, panels):
    if views.can_use_workspace(request.user):
        panels.append(DueFollowUpsPanel())

"""The importers in the Wagtail admin: the import form, the broken links report, and the
duplicate and tag suggestions on case study and resource forms (static JS, no inline script)."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from kb.models import CaseStudyPage, ResourcePage

from . import urls
from .views import can_import


@hooks.register("register_admin_urls")
def register_urls():
    return [path("importers/", include(urls))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        "Import from a web page", reverse("importers_import"), icon_name="download", order=250
    )


@hooks.register("insert_global_admin_css")
def importers_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("importers/admin.css"))


@hooks.register("register_reports_menu_item")
def broken_links_menu_item():
    return MenuItem(
        "Broken links", reverse("importers_broken_links"), icon_name="warning", order=900
    )


@hooks.register("insert_editor_js")
def suggestions_js():
    return format_html(
        '<script src="{}" data-suggestions-url="{}" defer></script>',
        static("importers/suggestions.js"),
        reverse("importers_suggestions_json"),
    )


@hooks.register("register_page_header_buttons")
def suggestions_button(page, user, view_name, next_url=None):
    """The suggestions as a plain page, for editors without JavaScript."""
    if view_name == "edit" and isinstance(page.specific_deferred, (CaseStudyPage, ResourcePage)):
        yield Button(
            "Suggestions: duplicates and tags",
            reverse("importers_suggestions", args=[page.pk]),
            icon_name="help",
            priority=80,
        )

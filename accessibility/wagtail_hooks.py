"""Workarounds for accessibility findings in Wagtail's own admin markup, on every admin page
(the workspace's and the editors' forms alike). Each says which axe rule it answers."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def name_admin_dialogs():
    """aria-dialog-name: the chooser modals get the name of their heading."""
    return format_html('<script src="{}" defer></script>', static("accessibility/admin-dialogs.js"))


@hooks.register("insert_global_admin_css")
def chooser_contrast():
    """color-contrast: the page chooser's "Parent" link in a hovered result row."""
    return format_html('<link rel="stylesheet" href="{}">', static("accessibility/admin.css"))

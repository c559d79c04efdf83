from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class SubscribersMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_see_subscribers(request.user)


@hooks.register("register_admin_urls")
def urls():
    return [path("alerts/subscribers/", admin_views.subscribers, name="alerts_subscribers")]


@hooks.register("register_reports_menu_item")
def subscribers_menu_item():
    return SubscribersMenuItem(
        "Email alert subscribers", reverse("alerts_subscribers"), icon_name="mail", order=950
    )

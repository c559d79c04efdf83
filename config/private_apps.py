"""Private apps: no admin route reaches their models unless the user holds the app's permission.

An app is private when its AppConfig names the permission that opens it:

    class SupportConfig(AppConfig):
        private_admin_permission = "support.use_workspace"

Wagtail registers routes for every snippet model on its own (choosers, bulk actions, history,
usage, revisions, the editing-session ping) and checks permissions differently in each, some
not at all. So rather than gating each view, every admin request is checked here, before its
view runs, by what the route resolves to: a view built for one of the app's models
(`view_initkwargs["model"]`), a URL that names the app (`<app_label>/<model_name>`), or a view
written in the app itself. A route Wagtail adds later is covered the same way.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

APP_KWARGS = ("app_label", "app_name", "content_type_app_name")


@cache
def private_apps() -> dict[str, str]:
    """{app label: permission} for every installed app that declares itself private."""
    return {
        config.label: config.private_admin_permission
        for config in apps.get_app_configs()
        if getattr(config, "private_admin_permission", None)
    }


def app_reached(view_func, view_kwargs) -> str | None:
    """The label of the private app an admin route reaches, or None."""
    private = private_apps()
    model = (getattr(view_func, "view_initkwargs", None) or {}).get("model")
    meta = getattr(model, "_meta", None)
    if meta is not None and meta.app_label in private:
        return meta.app_label
    for name in APP_KWARGS:
        if view_kwargs.get(name) in private:
            return view_kwargs[name]
    module = (getattr(view_func, "__module__", "") or "").split(".")[0]
    return module if module in private else None


class PrivateAppsMiddleware:
    """Refuse every admin route to a private app's models to anyone without its permission."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None  # public routes (a pack's share page) decide for themselves
        app_label = app_reached(view_func, view_kwargs)
        if app_label is None:
            return None
        user = request.user
        if user.is_authenticated and user.is_active and user.has_perm(private_apps()[app_label]):
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        raise PermissionDenied

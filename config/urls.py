from axes.signals import user_locked_out
from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from config.security import on_user_locked_out
from editorial import views as editorial_views

user_locked_out.connect(on_user_locked_out, dispatch_uid="kb-lockout-log")

# No Django admin: everything is edited in Wagtail's admin, and a second login surface is one
# more thing to throttle and protect.
urlpatterns = [
    # Before Wagtail's admin: "Add child page" that says why when nothing may be added here.
    path("admin/pages/<int:parent_page_id>/add_subpage/", editorial_views.add_subpage),
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("support.urls")),
    path("", include("accessibility.urls")),
    path("", include("feedback.urls")),
    path("", include("submissions.urls")),
    path("", include("search.urls")),
    path("", include("alerts.urls")),
    path("", include("opendata.urls")),
    path("", include("kb.urls")),
]

if settings.DEBUG:  # serving uploads from Django is for development only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

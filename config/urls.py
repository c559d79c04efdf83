from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from editorial import views as editorial_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's admin: "Add child page" that says why when nothing may be added here.
    path("admin/pages/<int:parent_page_id>/add_subpage/", editorial_views.add_subpage),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("search.urls")),
    path("", include("kb.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

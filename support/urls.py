"""Public routes by private link: the pack share page and its PDF, the area's progress page."""

from django.urls import path

from . import share

urlpatterns = [
    path("packs/<str:token>/", share.pack_share, name="support-pack-share"),
    path("packs/<str:token>/pdf/", share.pack_pdf, name="support-pack-pdf"),
    path("progress/<str:token>/", share.area_progress, name="support-area-progress"),
]

"""Public routes: the pack share page and its PDF, by token."""

from django.urls import path

from . import share

urlpatterns = [
    path("packs/<str:token>/", share.pack_share, name="support-pack-share"),
    path("packs/<str:token>/pdf/", share.pack_pdf, name="support-pack-pdf"),
]

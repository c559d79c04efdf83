from django.urls import path

from . import views

urlpatterns = [
    path("data/", views.open_data, name="open-data"),
    path("data/<str:filename>", views.download, name="open-data-file"),
]

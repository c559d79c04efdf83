from django.urls import path

from . import views

urlpatterns = [
    path("share-your-practice/", views.share, name="submissions-form"),
    path("share-your-practice/status/<str:token>/", views.status, name="submissions-status"),
]

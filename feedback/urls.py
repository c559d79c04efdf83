from django.urls import path

from . import views

urlpatterns = [
    path("feedback/useful/", views.useful, name="feedback-useful"),
    path("feedback/problem/", views.problem, name="feedback-problem"),
]

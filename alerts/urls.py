from django.urls import path

from . import views

urlpatterns = [
    path("alerts/subscribe/", views.subscribe, name="alert-subscribe"),
    path("alerts/check-your-email/", views.check_email, name="alert-check-email"),
    path("alerts/confirm/<str:token>/", views.confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="alert-unsubscribe"),
    path("alerts/manage/<str:token>/", views.manage, name="alert-manage"),
]

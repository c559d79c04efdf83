from django.urls import path

from . import views

urlpatterns = [path("accessibility/", views.statement, name="accessibility-statement")]

from django.urls import path

from search import views
from search.api import api

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/", api.urls),
]

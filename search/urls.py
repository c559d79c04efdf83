from django.urls import path

from search import views
from search.api import api
from search.feeds import SearchFeed

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/feed.atom", SearchFeed(), name="search-feed"),
    path("api/", api.urls),
]

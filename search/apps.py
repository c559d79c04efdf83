from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import checks, signals  # noqa: F401 - checks registers itself

        signals.connect()

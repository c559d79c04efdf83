from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import (
            checks,  # noqa: F401  (registers the system checks)
            signals,
        )

        signals.connect()

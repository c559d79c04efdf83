from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        # Start-up imports: they need the models loaded. `contexts.pages` registers what each
        # page type's template gets; `page_cache` connects its signal handlers.
        from . import page_cache
        from .contexts import pages  # noqa: F401

        page_cache.connect()

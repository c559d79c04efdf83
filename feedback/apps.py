from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """ "Is this page useful?" and "Report a problem with this page", on every public page."""

    name = "feedback"
    verbose_name = "Page feedback"

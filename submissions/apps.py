from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    """ "Share your practice": practitioners' case studies, as drafts for the moderators."""

    name = "submissions"
    verbose_name = "Practitioner submissions"

    def ready(self):
        from . import moderation

        moderation.connect()

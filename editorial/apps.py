from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class EditorialConfig(AppConfig):
    """Moderation and review dates: roles, the review workflow, due-for-review reports."""

    name = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        # Start-up imports: roles imports the page models, which exist only once apps are ready.
        from wagtail.models import Page

        from . import roles

        post_migrate.connect(roles.on_post_migrate, sender=self)
        post_save.connect(roles.on_page_saved, dispatch_uid="editorial-knowledge-sections")
        del Page  # imported so the page models are ready before the receiver can fire

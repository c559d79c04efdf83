from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support team workspace"
    # Private: every admin route to these models needs it (config.private_apps).
    private_admin_permission = "support.use_workspace"

    def ready(self):
        # Start-up imports: the models they bring exist only once apps are ready.
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished

        from kb.models import EvidenceSummaryPage

        from .topics import forget_tables

        for signal in (page_published, page_unpublished, post_delete):
            signal.connect(
                forget_tables, sender=EvidenceSummaryPage, dispatch_uid=f"support-{id(signal)}"
            )

from django.apps import AppConfig


class ExtensionConfig(AppConfig):
    name = "tests.extension"
    label = "extension"
    default_auto_field = "django.db.models.BigAutoField"

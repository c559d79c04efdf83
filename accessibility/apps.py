from django.apps import AppConfig


class AccessibilityConfig(AppConfig):
    """The accessibility statement (regulation 8 of the 2018 accessibility regulations)."""

    name = "accessibility"
    verbose_name = "Accessibility statement"

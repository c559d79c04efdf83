from django.apps import AppConfig


class RateLimitsConfig(AppConfig):
    """Rate limits for the public forms, counted in the database so every worker shares them."""

    name = "ratelimits"
    verbose_name = "Rate limits"

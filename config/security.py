"""Security plumbing that is not a page: headers, the client address behind the proxy, lockouts."""

import logging

from django.conf import settings

logger = logging.getLogger("kb.security")

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class PermissionsPolicyMiddleware:
    """No page here needs a camera, a microphone, a location or payments: deny them all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For as set by our own proxies.

    TRUSTED_PROXY_COUNT proxies each append the address they saw, so the client is that many
    entries from the right. Entries further left were sent by the client and are not trusted.
    """
    proxies = settings.KB_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Log the lockout for operators, without the user name or the address (personal data)."""
    logger.warning(
        "login lockout: %s failed attempts; refused for %s minutes",
        settings.AXES_FAILURE_LIMIT,
        int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        extra={"event": "login_lockout", "path": getattr(request, "path", "")},
    )

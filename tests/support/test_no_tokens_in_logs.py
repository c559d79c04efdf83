"""A pack's share token never reaches the logs, even when its page is refused (404 or 410)."""

import io
import logging

from django.conf import settings

from config.logs import JsonFormatter, RedactPackTokens


def _handler_with_site_filters(stream):
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactPackTokens())
    return handler


def test_a_refused_share_link_is_logged_without_its_token(client, db):
    assert "redact_pack_tokens" in settings.LOGGING["handlers"]["console"]["filters"]
    stream = io.StringIO()
    handler = _handler_with_site_filters(stream)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/packs/secret-token-value-123/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    logged = stream.getvalue()
    assert "/packs/<token>" in logged
    assert "secret-token-value-123" not in logged


def test_gunicorns_access_log_redacts_the_token():
    import datetime
    import types

    from gunicorn.config import Config

    from config.gunicorn_logger import RedactingLogger

    logger = RedactingLogger(Config())
    request = types.SimpleNamespace(
        method="GET",
        path="/packs/secret-token-value-123/",
        query="",
        uri="",
        version=(1, 1),
        headers=[],
    )
    response = types.SimpleNamespace(status="404 Not Found", sent=10, headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/packs/secret-token-value-123/",
        "PATH_INFO": "/packs/secret-token-value-123/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    assert atoms["U"] == "/packs/<token>/"
    assert "secret-token-value-123" not in str(atoms)


def test_a_refused_progress_link_is_logged_without_its_token(client, db):
    """The area's progress link is a credential too (its POST is logged on a 400 or 429)."""
    stream = io.StringIO()
    handler = _handler_with_site_filters(stream)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/progress/12.secret-progress-token-value/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    logged = stream.getvalue()
    assert "/progress/<token>" in logged
    assert "secret-progress-token-value" not in logged

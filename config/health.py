"""`/healthz` for load balancers: the database and the search index, as JSON, cheaply.

No page is rendered and no template or session is touched: one `SELECT 1`, one stat of the
index file and one count. 200 when both answer, 503 when either cannot, naming the fault
without a path or a host (anyone can read it).
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from search.engines import EngineUnavailable, IndexUnavailable, get_engine

logger = logging.getLogger("kb.health")


# What an anonymous client may read about a search fault: a name, never a path or a host.
INDEX_FAULTS = (
    ("missing", "index missing"),
    ("corrupt", "index corrupt"),
    ("busy", "index busy"),
    ("another version", "index built by another version"),
)


def fault(error: EngineUnavailable) -> str:
    if isinstance(error, IndexUnavailable):
        text = str(error)
        return next((name for word, name in INDEX_FAULTS if word in text), "index unavailable")
    return "search engine unavailable"


@never_cache
def healthz(request):
    checks = {}
    healthy = True
    detail = ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"status": "ok"}
    except Exception as error:  # noqa: BLE001 - any failure means: not healthy
        healthy = False
        checks["database"] = {"status": "unavailable", "error": type(error).__name__}
    engine = get_engine()
    try:
        checks["search"] = {"status": "ok", "engine": engine.name, **engine.health()}
    except EngineUnavailable as error:
        healthy = False
        checks["search"] = {"status": "unavailable", "engine": engine.name, "error": fault(error)}
        # The operator's log has the whole message (the file, the cluster); the answer does not.
        detail = str(error)
    if not healthy:
        logger.warning("healthz: unhealthy: %s %s", checks, detail)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )

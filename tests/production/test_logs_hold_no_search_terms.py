"""Finding 1 (issue 24): no log line holds a query string or a form's content.

People type names, postcodes and conditions into a health site's search box, and Django's
`django.request` logger attaches the request (query string included) to every 4xx/5xx it logs.
gunicorn here writes its access log, its error log and the application's log (the only Django
handler, `console`) to one file, so one grep covers every handler.
"""

import time
import urllib.parse

from .helpers import fetch, manage

SENTINEL = "Zqxjane Zqxdoe NW1 pregnant"


def test_production_logs_to_one_handler_only(production_env_vars):
    result = manage(
        production_env_vars,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(sorted(settings.LOGGING['handlers']))",
    )
    assert result.stdout.strip().splitlines()[-1] == "['console']", result.stderr[-2000:]


def test_no_log_holds_a_search_term_or_form_content(production_site, production_dir):
    query = urllib.parse.urlencode({"q": SENTINEL})
    index = production_dir / "search-index.sqlite3"
    moved = production_dir / "search-index.moved-for-logs"
    requests = [
        (f"/api/search/?{query}&page=abc", 400),
        (f"/no-such-page/?{query}", 404),
        (f"/api/search/suggest/?{query}&limit=zz", None),
    ]
    for path, expected in requests:
        status = fetch(production_site + path)[0]
        assert expected is None or status == expected, (path, status)
    # The index unreadable: /search/ answers 503, and that is logged too.
    index.rename(moved)
    try:
        assert fetch(production_site + f"/search/?{query}")[0] == 503
        assert fetch(production_site + f"/api/search/?{query}")[0] == 503
    finally:
        moved.rename(index)
    # A form's content: a search posted where only GET is allowed.
    status = fetch(production_site + "/api/search/", data=query.encode())[0]
    assert status in (400, 403, 405), status
    log_path = production_dir / "gunicorn.log"
    deadline = time.monotonic() + 5
    while "/no-such-page/" not in log_path.read_text() or "503" not in log_path.read_text():
        assert time.monotonic() < deadline, log_path.read_text()[-3000:]
        time.sleep(0.1)
    log = log_path.read_text()
    for word in ("Zqxjane", "Zqxdoe", "Zqxjane+Zqxdoe", "page=abc", "limit=zz", "q="):
        assert word not in log, f"{word!r} logged:\n{log[-3000:]}"
    # Path and status are still there for the operator.
    assert '"GET /no-such-page/ HTTP/1.1" 404' in log
    assert "/api/search/" in log

"""Defect 2: the documented WSGI server is installed from the lock file and serves the site."""

import re
import time

from .helpers import ROOT, fetch


def test_gunicorn_is_pinned_in_the_lock_file():
    assert re.search(r"^gunicorn==\d", (ROOT / "requirements.lock").read_text(), re.M)
    assert "gunicorn" in (ROOT / "pyproject.toml").read_text()


def test_gunicorn_serves_and_logs_requests_to_stdout_without_query_strings(
    production_site, production_dir
):
    status, _headers, body = fetch(production_site + "/search/?q=smoking+cessation")
    assert status == 200
    assert "smoking" in body.lower()
    log_path = production_dir / "gunicorn.log"
    deadline = time.monotonic() + 5
    while '"GET /search/ HTTP/1.1" 200' not in log_path.read_text():
        assert time.monotonic() < deadline, log_path.read_text()[-2000:]
        time.sleep(0.1)
    log = log_path.read_text()
    assert "cessation" not in log
    assert "127.0.0.1 " not in log.split("Booting worker")[-1]

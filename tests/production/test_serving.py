"""What production serves around the pages: headers, /healthz, error pages, login throttling."""

import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

from .helpers import fetch, manage


def test_pages_send_a_content_security_policy_and_a_permissions_policy(production_site):
    for path in ("/", "/search/?q=smoking", "/api/docs", "/admin/login/"):
        status, headers, body = fetch(production_site + path)
        assert status == 200, path
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], path
        assert "camera=()" in headers["Permissions-Policy"], path


def test_public_pages_have_no_inline_script(production_site):
    for path in ("/", "/search/?q=smoking"):
        _status, _headers, body = fetch(production_site + path)
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", body, re.S):
            assert not script.strip(), f"inline script on {path}: {script[:80]}"


def test_healthz_reports_database_and_index(production_site):
    status, headers, body = fetch(production_site + "/healthz")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    health = json.loads(body)
    assert health["status"] == "ok"
    assert health["database"]["status"] == "ok"
    assert health["search"]["status"] == "ok" and health["search"]["documents"] > 100


def test_404_page_uses_the_layout(production_site):
    status, _headers, body = fetch(production_site + "/no-such-page/")
    assert status == 404
    assert "Page not found" in body and "nhsuk-header" in body


def test_the_django_admin_is_gone(production_site):
    assert fetch(production_site + "/django-admin/")[0] == 404


def test_error_pages_render_without_a_database(production_env_vars):
    script = (
        "from unittest import mock; from django.test import RequestFactory; "
        "from config import errors; request = RequestFactory().get('/x/'); "
        "from django.db.backends.base.base import BaseDatabaseWrapper as W; "
        "boom = mock.patch.object(W, 'ensure_connection', side_effect=RuntimeError('db down')); "
        "boom.start(); "
        "print(errors.page_not_found(request).status_code, errors.server_error(request).status_code)"
    )
    result = manage(production_env_vars, "shell", "-v", "0", "-c", script)
    assert result.stdout.strip().splitlines()[-1] == "404 500", result.stderr[-2000:]


def test_healthz_is_503_when_the_index_is_missing(production_site, production_dir):
    index = production_dir / "search-index.sqlite3"
    moved = production_dir / "search-index.moved"
    index.rename(moved)
    try:
        status, _headers, body = fetch(production_site + "/healthz")
        assert status == 503
        assert json.loads(body)["search"]["status"] == "unavailable"
    finally:
        moved.rename(index)
    assert fetch(production_site + "/healthz")[0] == 200


def login(base, username, password, forwarded_for):
    """Post the Wagtail admin login form as a browser behind the TLS proxy would.

    Production cookies are Secure, so the proxy's X-Forwarded-Proto is sent and the cookies are
    carried by hand (urllib keeps Secure cookies off plain http). Returns the status code.
    """
    headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"}
    with urllib.request.urlopen(
        urllib.request.Request(base + "/admin/login/", headers=headers)
    ) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
        cookies = "; ".join(
            value.split(";")[0] for value in page.headers.get_all("Set-Cookie") or []
        )
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    host = urllib.parse.urlsplit(base).netloc
    request = urllib.request.Request(
        base + "/admin/login/",
        data=data,
        headers={**headers, "Cookie": cookies, "Referer": f"https://{host}/admin/login/"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_five_failed_logins_lock_the_user_name_out_and_are_logged(production_site, production_dir):
    statuses = [login(production_site, "editor-x", "wrong", f"203.0.113.{i}") for i in range(5)]
    # The form again with an error four times; the fifth failure locks the user name out.
    assert statuses == [200, 200, 200, 200, 429]
    assert login(production_site, "editor-x", "wrong", "203.0.113.99") == 429
    log = (production_dir / "gunicorn.log").read_text()
    assert "login lockout" in log
    assert "editor-x" not in log and "203.0.113" not in log


def test_five_failures_from_one_address_lock_that_address_out(production_site, production_dir):
    for i in range(5):
        login(production_site, f"someone-{i}", "wrong", "198.51.100.7")
    assert login(production_site, "someone-else", "wrong", "198.51.100.7") == 429
    assert login(production_site, "someone-else", "wrong", "198.51.100.8") == 200
    with sqlite3.connect(production_dir / "db.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM axes_accessattempt").fetchone()[0] >= 6

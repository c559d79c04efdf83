"""What production serves around the pages: headers, /healthz, error pages, login throttling."""

import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from config.security import client_ip

from .helpers import fetch, manage


def _script_src(policy):
    return policy.split("script-src")[1].split(";")[0]


def test_pages_send_a_content_security_policy_and_a_permissions_policy(production_site):
    for path in ("/", "/search/?q=smoking", "/api/docs", "/admin/login/"):
        status, headers, body = fetch(production_site + path)
        assert status == 200, path
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, path
        assert "camera=()" in headers["Permissions-Policy"], path
        # Only the Wagtail admin, which starts its editor from inline scripts, may run them.
        admin = path.startswith("/admin/")
        assert ("'unsafe-inline'" in _script_src(policy)) == admin, path
        # One framing rule (finding 5, issue 24): same origin only, in both headers.
        assert "frame-ancestors 'self'" in policy, path
        assert headers["X-Frame-Options"] == "SAMEORIGIN", path


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


def test_healthz_is_503_when_the_index_is_missing_and_names_the_fault_without_paths(
    production_site, production_dir
):
    index = production_dir / "search-index.sqlite3"
    moved = production_dir / "search-index.moved"
    index.rename(moved)
    try:
        status, _headers, body = fetch(production_site + "/healthz")
        assert status == 503
        search = json.loads(body)["search"]
        assert search["status"] == "unavailable"
        assert search["error"] == "index missing"
        # Anonymous clients read this: no file system path, no host name.
        assert str(production_dir) not in body and "sqlite3" not in body
    finally:
        moved.rename(index)
    assert fetch(production_site + "/healthz")[0] == 200


def test_healthz_answers_plain_http_while_pages_redirect_to_https(production_env_vars):
    """Finding 5 (issue 24): a load balancer's check over http must see 200, not 301."""
    script = (
        "from django.test import Client; c = Client(SERVER_NAME='localhost'); "
        "print(c.get('/healthz').status_code, c.get('/').status_code, "
        "c.get('/healthz/').status_code, c.get('/healthzz').status_code)"
    )
    env = {**production_env_vars, "SECURE_SSL_REDIRECT": "true"}
    result = manage(env, "shell", "-v", "0", "-c", script)
    # /healthz itself is exempt; everything else, even a near miss, is redirected.
    assert result.stdout.strip().splitlines()[-1] == "200 301 301 301", result.stderr[-2000:]


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


@pytest.fixture
def lockouts_lifted(production_env_vars):
    """Lift every lockout afterwards, with the command the deployment doc gives operators."""
    yield
    result = manage(production_env_vars, "axes_reset")
    assert result.returncode == 0, result.stderr[-2000:]


def test_five_failed_logins_lock_the_user_name_out_and_are_logged(
    production_site, production_dir, lockouts_lifted
):
    statuses = [login(production_site, "editor-x", "wrong", f"203.0.113.{i}") for i in range(5)]
    # The form again with an error four times; the fifth failure locks the user name out.
    assert statuses == [200, 200, 200, 200, 429]
    assert login(production_site, "editor-x", "wrong", "203.0.113.99") == 429
    log = (production_dir / "gunicorn.log").read_text()
    assert "login lockout" in log
    assert "editor-x" not in log and "203.0.113" not in log


def test_a_forged_forwarded_for_does_not_sidestep_the_address_lock(
    production_site, production_dir, lockouts_lifted
):
    """Finding 2 (issue 24): with no proxy configured, X-Forwarded-For is the client's word.

    Password spraying across accounts from one machine, each attempt claiming a new address:
    the address that counts is the socket's, so the sixth attempt is refused.
    """
    statuses = [
        login(production_site, f"someone-{i}", "wrong", f"198.51.100.{i}") for i in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    assert login(production_site, "someone-else", "wrong", "198.51.100.200") == 429
    with sqlite3.connect(production_dir / "db.sqlite3") as conn:
        addresses = {row[0] for row in conn.execute("SELECT ip_address FROM axes_accessattempt")}
    assert addresses == {"127.0.0.1"}


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", "10.0.0.5"),
        (0, "203.0.113.9", "10.0.0.5"),  # no proxy of ours: the header is the client's own
        (1, "203.0.113.9", "203.0.113.9"),  # one proxy appended the address it saw
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's forged entry is left of it
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the leftmost
    ],
)
def test_client_address_counts_only_the_configured_proxies(
    settings, rf, proxies, forwarded_for, expected
):
    settings.KB_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = rf.post("/admin/login/", REMOTE_ADDR="10.0.0.5", **headers)
    assert client_ip(request) == expected

"""Real-browser set-up: a private copy of the site served by a real server, and headless Chromium.

The shared test database runs every test in a rolled-back transaction, which a separate server
process cannot see. So the browser tests build their own SQLite database and search index in a
temporary directory (migrate + load_initial_data, as `make setup` does) and serve it with
`manage.py runserver` on a free local port.

Playwright cannot download browsers here; it drives Debian's `chromium`. Without it every test
in this folder is skipped, with the reason printed in the terminal summary so nobody mistakes a
skip for a pass.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60
ADMIN_USER = ("browser-admin", "browser-admin-password")
CREATE_ADMIN = (
    "from django.contrib.auth.models import User; "
    f"User.objects.create_superuser({ADMIN_USER[0]!r}, password={ADMIN_USER[1]!r})"
)
SITE = {}  # the served copy's environment, for tests that run manage.py against it


def find_chromium():
    override = os.environ.get("KB_CHROMIUM")
    if override:  # an explicit choice is never silently replaced by another browser
        return override if Path(override).is_file() and os.access(override, os.X_OK) else None
    for candidate in (*CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing_browser_reason():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    if find_chromium() is None:
        if os.environ.get("KB_CHROMIUM"):
            return f"KB_CHROMIUM={os.environ['KB_CHROMIUM']} is not an executable"
        return (
            "no Chromium found (looked for /usr/bin/chromium); install Debian's chromium, "
            "e.g. `apt-get install -y chromium`, or set KB_CHROMIUM to its path"
        )
    return None


SKIP_REASON = missing_browser_reason()
_skipped_count = 0


def is_browser_item(item):
    return Path(str(item.fspath)).resolve().is_relative_to(Path(__file__).parent)


def pytest_collection_modifyitems(config, items):
    global _skipped_count
    for item in items:
        if not is_browser_item(item):
            continue
        item.add_marker(pytest.mark.browser)
        if SKIP_REASON:
            item.add_marker(pytest.mark.skip(reason=f"BROWSER TESTS SKIPPED: {SKIP_REASON}"))
            _skipped_count += 1


def pytest_terminal_summary(terminalreporter):
    if SKIP_REASON and _skipped_count:
        terminalreporter.write_sep(
            "!", f"{_skipped_count} BROWSER TESTS SKIPPED", red=True, bold=True
        )
        terminalreporter.write_line(f"WARNING: {SKIP_REASON}.", red=True, bold=True)
        terminalreporter.write_line(
            "The journeys and accessibility checks in tests/browser did NOT run.", red=True
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url, process, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer within {SERVER_START_TIMEOUT}s")


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """Base URL of a real server over a fresh copy of the site with the report's content."""
    workdir = tmp_path_factory.mktemp("browser-site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "KB_SEARCH_INDEX_PATH": str(workdir / "search-index.sqlite3"),
        "KB_VAR_DIR": str(workdir),
        "KB_SEARCH_ENGINE": "embedded",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    SITE["env"] = env
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["load_initial_data", "-v", "0"],
        ["shell", "-c", CREATE_ADMIN],  # for the admin journeys (tests/browser/test_admin_*.py)
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)
    # An admin account for the browser tests that sign in (test_csp.py).
    subprocess.run(
        [*manage, "createsuperuser", "--no-input", "--username", "csp-admin", "--email", ""],
        cwd=ROOT,
        env={**env, "DJANGO_SUPERUSER_PASSWORD": "csp-admin-password-1"},
        check=True,
        capture_output=True,
    )
    port = free_port()
    log_path = workdir / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/", server, log_path)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _open_context(browser, site_url, request, **options):
    """A browser context that refuses, and records, any request to another host."""
    context = browser.new_context(
        base_url=site_url, viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(15_000)
    foreign = []

    def guard(route):
        url = route.request.url
        if url.startswith(site_url) or url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    context.foreign_requests = foreign
    return context


def _save_screenshot_on_failure(request, page):
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in request.node.nodeid)
        path = ARTIFACTS / f"{name[-150:]}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"\nScreenshot of the failure saved to {path}")
        except Exception as error:  # the page may be gone; the failure itself matters more
            print(f"\nCould not save a screenshot: {error}")


@pytest.fixture
def page(browser, site_url, request):
    """A fresh tab with JavaScript on; a screenshot lands in test-artifacts/ if the test fails."""
    context = _open_context(browser, site_url, request)
    tab = context.new_page()
    yield tab
    _save_screenshot_on_failure(request, tab)
    assert not context.foreign_requests, f"requests to other hosts: {context.foreign_requests}"
    context.close()


@pytest.fixture
def page_without_js(browser, site_url, request):
    """A fresh tab with JavaScript off, to prove journeys work without it."""
    context = _open_context(browser, site_url, request, java_script_enabled=False)
    tab = context.new_page()
    yield tab
    _save_screenshot_on_failure(request, tab)
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}; run `npm ci`")
    return AXE_SCRIPT.read_text()


def manage_shell(code):
    """Run `manage.py shell -c code` against the served copy; its last line, parsed as JSON."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        cwd=ROOT,
        env=SITE["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])

"""Running manage.py and gunicorn as an operator would: subprocesses with production settings."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def production_env(tmp_path, **overrides):
    """Production settings over a private database, index and static folder in tmp_path."""
    ignored = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "KB_SEARCH_INDEX_PATH")
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        KB_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        KB_SEARCH_INDEX_PATH=str(tmp_path / "search-index.sqlite3"),
        KB_SEARCH_ENGINE="embedded",
        SECURE_SSL_REDIRECT="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(env, *args, timeout=600):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, timeout=10, headers=None, data=None):
    """(status, headers, body) for a GET (a POST when data is given), whatever the status."""
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(url, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{Path(log_path).read_text()[-3000:]}")
        try:
            fetch(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer within {timeout}s")

"""One copy of the site served as production serves it: collectstatic, migrate, load, gunicorn.

Built once per session in a temporary directory (its own SQLite database, index file and static
folder), so the tests here exercise the real deploy path over real HTTP.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import PYTHON, ROOT, free_port, manage, production_env, wait_for


@pytest.fixture(scope="session")
def production_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("production-site")


@pytest.fixture(scope="session")
def production_env_vars(production_dir):
    return production_env(production_dir)


@pytest.fixture(scope="session")
def collectstatic_result(production_env_vars):
    return manage(production_env_vars, "collectstatic", "--no-input", "-v", "0")


@pytest.fixture(scope="session")
def migrated_empty_database(production_dir, production_env_vars):
    """A migrated database with no content yet (a copy is kept for tests that load it)."""
    result = manage(production_env_vars, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    copy = Path(production_dir) / "migrated-empty.sqlite3"
    shutil.copy(Path(production_dir) / "db.sqlite3", copy)
    return copy


@pytest.fixture(scope="session")
def production_site(
    production_dir, production_env_vars, collectstatic_result, migrated_empty_database
):
    """Base URL of gunicorn (config/gunicorn.py) serving the report's content."""
    assert collectstatic_result.returncode == 0, collectstatic_result.stderr[-3000:]
    env = production_env_vars
    result = manage(env, "load_initial_data", "-v", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    port = free_port()
    log_path = Path(production_dir) / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", server, log_path)
        server.log_path = log_path
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

"""`make setup` is idempotent: a second run on the same checkout changes nothing."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not (ROOT / ".venv").exists(), reason="needs the project's .venv")
def test_second_make_setup_changes_nothing(tmp_path):
    env = {
        **os.environ,
        "KB_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "KB_SEARCH_INDEX_PATH": str(tmp_path / "index.sqlite3"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    }
    first = subprocess.run(
        ["make", "setup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Created dev admin user 'admin'" in first.stdout
    second = subprocess.run(
        ["make", "setup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert "0 item(s) created or updated" in second.stdout
    assert "No migrations to apply" in second.stdout
    assert "Created dev admin user" not in second.stdout
    assert "password:" in second.stdout

"""Settings are driven by the environment, and production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    ignored = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_fails_with_one_line():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "error: SECRET_KEY must be set in the environment for production settings"
    )
    assert "Traceback" not in result.stderr


def test_production_check_deploy_is_clean(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x9!" * 20 + "kb-production-test-key-with-enough-entropy",
        ALLOWED_HOSTS="kb.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_manage_defaults_to_dev_settings():
    result = run_manage("diffsettings", "--all")
    assert result.returncode == 0, result.stderr
    assert "KB_CREATE_DEV_ADMIN = True" in result.stdout


def test_database_url_drives_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        DATABASE_URL=url,
    )
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "other.sqlite3")


def test_sqlite_runs_in_wal_with_immediate_transactions(tmp_path):
    """Readers never wait for a publish (WAL), and a writer takes the lock at BEGIN and queues
    up to 20 s for it, rather than failing to upgrade a read lock (docs/deployment.md)."""
    result = run_manage(
        "shell",
        "-c",
        "from django.db import connection; cursor = connection.cursor(); "
        "print(*(cursor.execute(f'PRAGMA {name}').fetchone()[0] "
        "for name in ('journal_mode', 'synchronous', 'busy_timeout')), "
        "connection.transaction_mode)",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.stdout.strip().splitlines()[-1] == "wal 1 20000 IMMEDIATE", result.stderr

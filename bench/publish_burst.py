"""Ten processes publish at once on SQLite: where does the time go? (issue 24, finding 7)

    .venv/bin/python -m bench.publish_burst [--processes 10] [--db PATH --index PATH]
                                            [--cold] [--loose]

Builds a loaded SQLite database in a temporary directory (migrate + load_initial_data, as
production does) unless --db/--index name a loaded pair (copied, never changed). Then N
processes, each with a different case study, wait for the same moment and run what the editor's
Publish button runs: `save_revision()` then `publish()`, in one transaction as an admin POST is
on SQLite (`config.write_transactions`; `--loose` leaves Wagtail's own transactions alone).

The processes are forked from one that has loaded the application as gunicorn's master does
(`preload_app`: `config.wsgi`, which warms what every request needs), like gunicorn's workers.
`--cold` starts each one as a fresh interpreter instead (a worker without a preloaded master),
so the cost of a process's first publish shows. Each reports:

- wall: from the common start to its publish returning (and its CPU time: the sum over all
  publishes, divided by the cores, is the least the last can wait however the locks behave);
- lock wait: time inside `BEGIN IMMEDIATE`, queued behind the other writers;
- held: time from taking the write lock to its COMMIT, i.e. what every writer behind it waits
  for, with the statements run meanwhile;
- after commit: on_commit work outside the database lock, and of it: building the search
  document from the database, waiting for the index file's own write lock, and holding it.

Timings, not assertions: the tests assert that the publishes succeed; this says how fast.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class _TimedIndexConnection:
    """The index file's connection, timing its write lock (BEGIN IMMEDIATE ... COMMIT)."""

    def __init__(self, conn, state):
        self._conn = conn
        self._state = state
        self._begun = None

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql, *args):
        started = time.perf_counter()
        result = self._conn.execute(sql, *args)
        now = time.perf_counter()
        if sql.startswith("BEGIN IMMEDIATE"):
            self._state["index_lock_wait"] += now - started
            self._begun = now
        elif sql in ("COMMIT", "ROLLBACK") and self._begun is not None:
            self._state["index_held"] += now - self._begun
            self._state["index_commit"] += now - started  # waits for readers to leave, fsyncs
            self._begun = None
        return result


def publish(page_id: int, wait_for_start, one_transaction: bool) -> dict:
    """Publish one page when `wait_for_start()` returns its start time; what it waited for."""
    from django.db import connection, transaction

    from kb.models import CaseStudyPage
    from search import indexing
    from search.engines.embedded import index_file

    statements = []  # (sql head, seconds)
    state = {
        "begin": None,
        "lock_wait": 0.0,
        "held": [],
        "after_commit": 0.0,
        "autocommit": 0.0,
        "documents": 0.0,
        "index_lock_wait": 0.0,
        "index_held": 0.0,
        "index_commit": 0.0,
    }

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            if sql.startswith("BEGIN"):
                state["lock_wait"] += seconds
                state["begin"] = time.perf_counter()
            else:
                statements.append((" ".join(sql.split()[:4])[:70], seconds))
                if not connection.in_atomic_block and not sql.lstrip().startswith("SELECT"):
                    state["autocommit"] += seconds  # a write outside any transaction

    real_commit = connection._commit

    def commit():
        real_commit()
        if state["begin"] is not None:
            state["held"].append(time.perf_counter() - state["begin"])
            state["begin"] = None

    connection._commit = commit
    real_hooks = connection.run_and_clear_commit_hooks

    def hooks():
        started = time.perf_counter()
        real_hooks()
        state["after_commit"] += time.perf_counter() - started

    connection.run_and_clear_commit_hooks = hooks
    real_documents = indexing.current_documents

    def current_documents(page_ids):
        started = time.perf_counter()
        try:
            return real_documents(page_ids)
        finally:
            state["documents"] += time.perf_counter() - started

    indexing.current_documents = current_documents
    real_open = index_file._open
    index_file._open = lambda path: _TimedIndexConnection(real_open(path), state)

    page = CaseStudyPage.objects.get(pk=page_id)
    page.title += " (republished)"
    connection.ensure_connection()
    start_at = wait_for_start()
    cpu_at = time.process_time()
    with connection.execute_wrapper(timed):
        if one_transaction:  # what config.write_transactions does per admin POST
            with transaction.atomic():
                page.save_revision(log_action=True).publish()
        else:
            page.save_revision(log_action=True).publish()
    wall = time.time() - start_at
    cpu = time.process_time() - cpu_at
    by_kind = defaultdict(float)
    for head, seconds in statements:
        by_kind[head] += seconds
    return {
        **{key: value for key, value in state.items() if key != "begin"},
        "wall": wall,
        "cpu": cpu,
        "statements": len(statements),
        "kinds": Counter(h for h, _s in statements).most_common(8),
        "slowest_kinds": sorted(by_kind.items(), key=lambda kv: -kv[1])[:8],
    }


def _wait_for_file(go: Path):
    def wait():
        while not go.exists():
            time.sleep(0.002)
        return float(go.read_text())

    return wait


def cold_child(page_id: int, go_file: str, one_transaction: bool) -> None:
    import django

    django.setup()
    print("ready", flush=True)
    print(json.dumps(publish(page_id, _wait_for_file(Path(go_file)), one_transaction)))


def run_cold(page_ids, work: Path, env: dict, one_transaction: bool) -> list[dict]:
    """Each publisher a fresh interpreter, as before gunicorn preloaded and warmed the app."""
    go_file = work / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.publish_burst", "--child", str(page_id)]
            + ["--go-file", str(go_file)]
            + ([] if one_transaction else ["--loose"]),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for page_id in page_ids
    ]
    for process in children:  # each has imported Django
        assert process.stdout.readline().strip() == "ready"
    _start(go_file)
    results = []
    for process in children:
        out, _ = process.communicate(timeout=300)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def run_forked(page_ids, work: Path, env: dict, one_transaction: bool) -> list[dict]:
    """Each publisher forked from a process that loaded the app as gunicorn's master does."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from django.db import connections

    import config.wsgi  # noqa: F401  (django.setup() and the master's warm-up)

    connections.close_all()  # never share a connection across fork
    go_file = work / "go"
    children = []
    for page_id in page_ids:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            code = 0
            try:
                result = publish(page_id, _wait_for_file(go_file), one_transaction)
                os.write(write_end, json.dumps(result).encode())
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        children.append((pid, read_end))
    time.sleep(1)  # each has loaded its page
    _start(go_file)
    results = []
    for pid, read_end in children:
        with os.fdopen(read_end) as pipe:
            out = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status:
            raise SystemExit(f"a publisher failed (status {status})")
        results.append(json.loads(out))
    return results


def _start(go_file: Path) -> None:
    partial = go_file.with_suffix(".tmp")
    partial.write_text(repr(time.time()))
    partial.rename(go_file)  # all start now


def build(work: Path, env: dict) -> None:
    for args in (["migrate", "--no-input", "-v", "0"], ["load_initial_data", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def report(results: list[dict], mode: str) -> None:
    with open("/proc/loadavg") as load:
        loadavg = load.read().split()[:3]
    print(f"{len(results)} processes publishing at once ({mode}); load average {' '.join(loadavg)}")
    print(
        "| process | wall s | lock wait (BEGIN) s | autocommit writes s "
        "| held s (per transaction) | after commit s | of which: document s "
        "| index lock wait s | index held s (of which COMMIT) | SQL |"
    )
    print("| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for number, result in enumerate(sorted(results, key=lambda r: r["wall"]), 1):
        held = ", ".join(f"{seconds:.3f}" for seconds in result["held"])
        print(
            f"| {number} | {result['wall']:.2f} | {result['lock_wait']:.2f} | "
            f"{result['autocommit']:.2f} | {held} | {result['after_commit']:.3f} | "
            f"{result['documents']:.3f} | {result['index_lock_wait']:.3f} | "
            f"{result['index_held']:.3f} ({result['index_commit']:.3f}) | {result['statements']} |"
        )
    print(
        f"slowest finished after {max(r['wall'] for r in results):.2f} s; "
        f"CPU time of all publishes {sum(r['cpu'] for r in results):.2f} s"
    )
    total = defaultdict(float)
    for result in results:
        for kind, seconds in result["slowest_kinds"]:
            total[kind] += seconds
    print("statement time by kind, all processes:")
    for kind, seconds in sorted(total.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {seconds:7.3f} s  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=10)
    parser.add_argument("--db")
    parser.add_argument("--index")
    parser.add_argument(
        "--cold", action="store_true", help="fresh interpreters, not forked from a warm one"
    )
    parser.add_argument(
        "--loose",
        action="store_true",
        help="leave Wagtail's transactions as they are (no admin POST wraps them on PostgreSQL)",
    )
    parser.add_argument("--child", type=int)
    parser.add_argument("--go-file")
    args = parser.parse_args()
    if args.child:
        cold_child(args.child, args.go_file, not args.loose)
        return
    work = Path(tempfile.mkdtemp(prefix="kb-publish-burst-"))
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "KB_VAR_DIR": str(work),
            "KB_SEARCH_INDEX_PATH": str(work / "search-index.sqlite3"),
            "KB_SEARCH_ENGINE": "embedded",
            "LOG_LEVEL": "ERROR",
        }
        if args.db:
            shutil.copy(args.db, work / "db.sqlite3")
            shutil.copy(args.index, work / "search-index.sqlite3")
        else:
            build(work, env)
        ids = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-v",
                "0",
                "-c",
                "from kb.models import CaseStudyPage; "
                "print(list(CaseStudyPage.objects.live().values_list('pk', flat=True)))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        page_ids = json.loads(ids.strip().splitlines()[-1])[: args.processes]
        one_transaction = not args.loose
        if args.cold:
            results = run_cold(page_ids, work, env, one_transaction)
        else:
            results = run_forked(page_ids, work, env, one_transaction)
        mode = "fresh interpreters" if args.cold else "forked from a preloaded app"
        report(results, mode + ("" if one_transaction else ", Wagtail's own transactions"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

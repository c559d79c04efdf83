"""Ten processes publish at once on SQLite: where does the time go? (issue 24, finding 7)

    .venv/bin/python -m bench.publish_burst [--processes 10] [--db PATH --index PATH]

Builds a loaded SQLite database in a temporary directory (migrate + load_initial_data, as
production does) unless --db/--index name a loaded pair (copied, never changed). Then N
processes, each with a different case study, wait for the same moment and run what the editor's
Publish button runs: `save_revision()` then `publish()`. Each reports:

- wall: from the common start to its publish returning;
- lock wait: time inside `BEGIN IMMEDIATE`, queued behind the other writers;
- held: time from taking the write lock to its COMMIT, i.e. what every writer behind it waits
  for, with the statements run meanwhile;
- after commit: on_commit work (the search index update), outside the lock.

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


def child(page_id: int, go_file: str) -> None:
    import django

    django.setup()
    from django.db import connection

    from kb.models import CaseStudyPage

    statements = []  # (sql head, seconds)
    state = {"begin": None, "lock_wait": 0.0, "held": [], "after_commit": 0.0, "autocommit": 0.0}

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
    page = CaseStudyPage.objects.get(pk=page_id)
    page.title += " (republished)"
    connection.ensure_connection()
    print("ready", flush=True)
    go = Path(go_file)
    while not go.exists():
        time.sleep(0.002)
    start_at = float(go.read_text() or time.time())
    with connection.execute_wrapper(timed):
        page.save_revision(log_action=True).publish()
    wall = time.time() - start_at
    by_kind = defaultdict(float)
    for head, seconds in statements:
        by_kind[head] += seconds
    print(
        json.dumps(
            {
                "wall": wall,
                "lock_wait": state["lock_wait"],
                "held": state["held"],
                "after_commit": state["after_commit"],
                "autocommit": state["autocommit"],
                "statements": len(statements),
                "statement_seconds": sum(s for _h, s in statements),
                "kinds": Counter(h for h, _s in statements).most_common(8),
                "slowest_kinds": sorted(by_kind.items(), key=lambda kv: -kv[1])[:8],
            }
        )
    )


def build(work: Path, env: dict) -> None:
    for args in (["migrate", "--no-input", "-v", "0"], ["load_initial_data", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=10)
    parser.add_argument("--db")
    parser.add_argument("--index")
    parser.add_argument("--child", type=int)
    parser.add_argument("--go-file")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.go_file)
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
        go_file = work / "go"
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "bench.publish_burst", "--child", str(page_id)]
                + ["--go-file", str(go_file)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for page_id in page_ids
        ]
        for process in children:  # each has imported Django and loaded its page
            assert process.stdout.readline().strip() == "ready"
        partial = work / "go.tmp"
        partial.write_text(repr(time.time()))
        partial.rename(go_file)  # all start now
        results = []
        for process in children:
            out, _ = process.communicate(timeout=300)
            results.append(json.loads(out.strip().splitlines()[-1]))
        with open("/proc/loadavg") as load:
            loadavg = load.read().split()[:3]
        print(f"{len(results)} processes publishing at once; load average {' '.join(loadavg)}")
        print(
            "| process | wall s | lock wait (BEGIN) s | autocommit writes s "
            "| held s (per transaction) | after commit s | SQL |"
        )
        print("| ---: | ---: | ---: | ---: | --- | ---: | ---: |")
        for number, result in enumerate(sorted(results, key=lambda r: r["wall"]), 1):
            held = ", ".join(f"{seconds:.3f}" for seconds in result["held"])
            print(
                f"| {number} | {result['wall']:.2f} | {result['lock_wait']:.2f} | "
                f"{result['autocommit']:.2f} | {held} | "
                f"{result['after_commit']:.3f} | {result['statements']} |"
            )
        print(f"slowest finished after {max(r['wall'] for r in results):.2f} s")
        total = defaultdict(float)
        for result in results:
            for kind, seconds in result["slowest_kinds"]:
                total[kind] += seconds
        print("statement time by kind, all processes:")
        for kind, seconds in sorted(total.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {seconds:7.3f} s  {kind}")
        print("most frequent statements (first process):", results[0]["kinds"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

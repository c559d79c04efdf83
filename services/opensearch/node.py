"""The dev/test OpenSearch node from Python: a handle for tests and benchmarks, and the CLI
behind `make opensearch` / `make opensearch-stop` (standard library only).

A node started by `OpenSearchNode.start()` runs `run-node` in the foreground and stops when its
stdin closes, so if this Python process dies for any reason the JVM follows it. `start
--detached` (make) instead leaves it running with a PID file until `stop`. Output always goes
to a log file, never to a pipe nobody reads (a full pipe would block the JVM).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SERVICE_DIR = Path(__file__).resolve().parent
RUN_NODE = SERVICE_DIR / "run-node"
LAUNCHER_CLASS = SERVICE_DIR / "target" / "classes" / "kb" / "opensearch" / "DevNode.class"
DEFAULT_JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64"
# The node starts in under 20 s on an idle 2-core machine; CI may be busier.
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 60


def java_home() -> Path:
    return Path(os.environ.get("OPENSEARCH_JAVA_HOME", DEFAULT_JAVA_HOME))


def why_unavailable() -> str | None:
    """Why no node can be started here, or None when Java 21+ and the built launcher are there."""
    if not (java_home() / "bin" / "java").exists():
        return (
            f"no Java at {java_home()} (OpenSearch 3 needs Java 21 or newer; "
            "set OPENSEARCH_JAVA_HOME)"
        )
    if not LAUNCHER_CLASS.exists():
        return "the OpenSearch jars are not fetched: run `make opensearch-jars`"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster_health(url: str, timeout: float = 2.0) -> dict | None:
    """The cluster health once it is yellow or green, else None (also when unreachable)."""
    request = f"{url}/_cluster/health?wait_for_status=yellow&timeout={int(timeout)}s"
    try:
        with urllib.request.urlopen(request, timeout=timeout + 2) as response:
            health = json.load(response)
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return None if health.get("timed_out") else health


class OpenSearchNode:
    """One node: `start()` returns when the cluster is yellow or green; `stop()` closes stdin."""

    def __init__(self, home: Path, port: int | None = None):
        self.home = Path(home)
        self.port = port or free_port()
        self.log_path = self.home / "node.log"
        self.process: subprocess.Popen | None = None
        self.start_seconds: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = START_TIMEOUT_S) -> OpenSearchNode:
        if self.running():
            return self
        self.home.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(RUN_NODE), str(self.home), str(self.port)],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"OpenSearch exited with {self.process.returncode} while starting "
                    f"on port {self.port}:\n{self.log_tail()}"
                )
            if cluster_health(self.url, timeout=1):
                self.start_seconds = time.monotonic() - started
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(
            f"OpenSearch was not yellow or green within {timeout:.0f} s:\n{self.log_tail()}"
        )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Close stdin (the launcher then closes the node cleanly); kill it if it hangs."""
        if self.process is None:
            return
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    @contextlib.contextmanager
    def stopped(self):
        """The node is down inside the block and back (same port, same data) after it."""
        self.stop()
        try:
            yield self
        finally:
            self.start()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def memory_mb(self) -> dict:
        """The JVM's resident memory now ("rss") and at its peak ("peak"), from /proc, in MiB."""
        fields = {"VmRSS:": "rss", "VmHWM:": "peak"}
        memory = dict.fromkeys(fields.values())
        if not self.running():
            return memory
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                name = line.split(maxsplit=1)[0] if line else ""
                if name in fields:
                    memory[fields[name]] = int(line.split()[1]) / 1024
        return memory

    def call(self, path: str, body: dict | None = None, method: str | None = None) -> dict:
        """One JSON request to the node (for tests and benchmarks, not the site)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)


# --- `python -m services.opensearch.node start|stop|status`: the node `make opensearch` keeps.


def read_pid(pid_file: Path) -> int | None:
    """The PID in the file if that process is still alive."""
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start_detached(home: Path, port: int, timeout: float) -> int:
    pid_file, url = home / "node.pid", f"http://127.0.0.1:{port}"
    if pid := read_pid(pid_file):
        if cluster_health(url):
            print(f"OpenSearch is already running at {url} (PID {pid})")
            return 0
        print(f"a node (PID {pid}) is running but {url} is not healthy; see {home / 'node.log'}")
        return 1
    if reason := why_unavailable():
        print(f"cannot start OpenSearch: {reason}", file=sys.stderr)
        return 1
    home.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(home / "node.log", "ab") as log:
        process = subprocess.Popen(
            [str(RUN_NODE), str(home / "node"), str(port), "--detached"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives make and the terminal
        )
    pid_file.write_text(f"{process.pid}\n")
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            pid_file.unlink(missing_ok=True)
            print(f"OpenSearch exited with {process.returncode}; log: {home / 'node.log'}")
            return 1
        if cluster_health(url, timeout=1):
            print(f"OpenSearch {url} is up after {time.monotonic() - started:.1f} s")
            print(f"  PID {process.pid} in {pid_file}; log {home / 'node.log'}")
            print(f"  serve the site on it: make run-opensearch   (OPENSEARCH_URL={url})")
            return 0
        time.sleep(0.5)
    stop_detached(home)
    print(f"OpenSearch was not healthy within {timeout:.0f} s; log: {home / 'node.log'}")
    return 1


def stop_detached(home: Path, timeout: float = STOP_TIMEOUT_S) -> int:
    pid_file = home / "node.pid"
    pid = read_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        print("OpenSearch is not running")
        return 0
    os.kill(pid, signal.SIGTERM)  # the launcher's shutdown hook closes the node
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and read_pid(pid_file):
        time.sleep(0.2)
    if read_pid(pid_file):
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    print(f"OpenSearch (PID {pid}) stopped")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The dev OpenSearch node (see README.md).")
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--home", type=Path, default=Path("var/opensearch"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("OPENSEARCH_PORT", 9200)))
    parser.add_argument("--timeout", type=float, default=START_TIMEOUT_S)
    options = parser.parse_args(argv)
    home = options.home.resolve()
    if options.action == "start":
        return start_detached(home, options.port, options.timeout)
    if options.action == "stop":
        return stop_detached(home)
    pid = read_pid(home / "node.pid")
    print(f"OpenSearch PID {pid}" if pid else "OpenSearch is not running")
    return 0 if pid else 1


if __name__ == "__main__":
    sys.exit(main())

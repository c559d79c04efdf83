"""Whether the search cluster is down, known once for every process on this server.

Each gunicorn worker keeps its own circuit breaker (search.resilience). Alone, each
would pay a timeout (2 s for an error, up to 8 s for a hang) before falling back, so with N
workers N requests would. A small file beside the embedded index says "down until T, because
E" to all of them; when T has passed, the process that takes the probe lock asks the cluster
again while the others keep answering from the fallback. So one request per check interval pays
the timeout, whichever worker receives it.

The file exists only while the cluster is down: a healthy site pays one failed `stat` per
request. `serve-production` writes it too when the cluster is unreachable at start-up, so the
first requests do not pay the timeout either.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings


class SharedOutage:
    def __init__(self, directory: Path, url: str, clock=time.time):
        key = hashlib.sha256(url.encode()).hexdigest()[:12]
        self.path = Path(directory) / f"search-cluster-{key}.down"
        self.lock_path = Path(directory) / f"search-cluster-{key}.probe"
        self.clock = clock
        self._probe_fd: int | None = None

    @classmethod
    def configured(cls, url: str) -> SharedOutage | None:
        """The outage file for this cluster, or None when sharing is off (KB_SEARCH_STATE_DIR)."""
        directory = settings.KB_SEARCH_STATE_DIR
        return cls(Path(directory), url) if directory else None

    def down(self) -> tuple[float, str] | None:
        """(seconds until the next probe is due, the last error), or None when not down."""
        try:
            state = json.loads(self.path.read_text())
            return float(state["down_until"]) - self.clock(), str(state.get("error", ""))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0, "unreadable outage file"  # treated as due for a probe

    def record(self, error: str, retry_after: float) -> None:
        """Down for retry_after seconds; written whole (rename), so no reader sees half."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        state = {"down_until": self.clock() + retry_after, "error": error[:500]}
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".outage-")
        try:
            with os.fdopen(fd, "w") as file:
                json.dump(state, file)
            os.replace(temporary, self.path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
        self.release_probe()

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.release_probe()

    @property
    def probing(self) -> bool:
        return self._probe_fd is not None

    def claim_probe(self) -> bool:
        """True for the one process that may ask the cluster now; the lock dies with it."""
        if self._probe_fd is not None:
            return True
        try:
            fd = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            return True  # cannot coordinate: behave as a lone process would
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._probe_fd = fd
        return True

    def release_probe(self) -> None:
        if self._probe_fd is not None:
            os.close(self._probe_fd)  # closing the descriptor releases the lock
            self._probe_fd = None

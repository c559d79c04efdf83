"""gunicorn's side of a start-up during a cluster outage (config/gunicorn.py's hooks).

`serve-production` runs `search_index ensure --or-fallback`: when the cluster is unreachable it
leaves the shared outage file (search.cluster_outage) and the site starts in reduced mode. Then
gunicorn's master starts `search_index ensure --wait-for-cluster`, which repairs the cluster's
index once it answers, and stops it when gunicorn stops.
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from search.cluster_outage import SharedOutage
from search.engines import CLUSTER_ENGINES, get_engine

MANAGE = Path(__file__).resolve().parents[1] / "manage.py"


def cluster_down_at_start() -> bool:
    if settings.KB_SEARCH_ENGINE not in CLUSTER_ENGINES:
        return False
    url = get_engine().primary.url
    outage = SharedOutage.configured(url)
    return outage is not None and outage.down() is not None


def start_watcher(log):
    if not cluster_down_at_start():
        return None
    log.warning("search cluster down at start-up: watching for it to return")
    return subprocess.Popen(
        [sys.executable, str(MANAGE), "search_index", "ensure", "--wait-for-cluster"]
    )


def stop_watcher(process):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

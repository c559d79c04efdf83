"""gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so one file serves a small VM
and a large one. Workers are sync processes: the site is server-rendered and quick, and a sync
worker per core (plus one) keeps a slow request from holding up others without threads
fighting over the GIL. See docs/deployment.md.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# (2 x cores) + 1 is gunicorn's own advice; 4 on the 2-core machines the load figures were
# measured on.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request that takes this long is stuck: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer that keeps connections open.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, with jitter so they do not all restart at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
# Logs go to stdout/stderr for the process manager (systemd, a container runtime) to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No personal data in the access log: no client address and no query string (search terms may
# name a person or a place). Method, path, status, bytes and milliseconds are enough to operate.
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application before forking so workers share its memory and a broken deploy fails
# at start, not on the first request.
preload_app = True
# Paths under /packs/ carry a share token, a credential: the access log shows /packs/<token>.
logger_class = "config.gunicorn_logger.RedactingLogger"


# When `search_index ensure --or-fallback` found the cluster down at start-up, the site serves
# search from the embedded index; this watcher asks the cluster every check interval and ensures
# its index once it answers. It lives and dies with gunicorn's master.
def when_ready(server):
    # Imported once the app (Django) is loaded; this file is read before that.
    from config.cluster_watch import start_watcher

    server.kb_cluster_watcher = start_watcher(server.log)


def on_exit(server):
    # Imported once the app (Django) is loaded; this file is read before that.
    from config.cluster_watch import stop_watcher

    stop_watcher(getattr(server, "kb_cluster_watcher", None))

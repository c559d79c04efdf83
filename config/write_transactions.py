"""On SQLite, each admin write request takes the database's one write lock once.

SQLite has a single write lock for the whole file. Wagtail's Publish button runs several
transactions of its own and some statements outside any transaction (clearing the revision's
go-live date, the log entry), so one publish queued for the lock about six times, and between
queuers SQLite's busy handler sleeps, leaving the lock idle. Ten editors publishing at once then
waited 10-20 s against a 20 s busy timeout (issue 24). Wrapped in one `IMMEDIATE` transaction
(config/settings/base.py), a publish queues once and then runs without interruption; search
index updates still wait for the commit (`on_commit`), outside the lock.

PostgreSQL locks rows, not the database, so there nothing is wrapped. Safe methods (reads) are
never wrapped: an IMMEDIATE transaction would make every page view queue behind writers.
What a request wrote before a server error is kept, as it was before this wrapping (a view may
already have sent an email about it); only a failed database statement rolls the request back.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AdminWriteTransactionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request):
        if (
            connection.vendor != "sqlite"
            or request.method in SAFE_METHODS
            or not request.path.startswith(self.admin_prefix)
        ):
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)

"""A JSON-lines log formatter: one object per event, for log collectors."""

import json
import logging
import re

STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestPathOnly(logging.Filter):
    """Log a request as its method and path: never its query string or its form's content.

    Django's `django.request` and `django.security` loggers attach the request to the record,
    and its repr carries the query string, where people type names, postcodes and conditions.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = f"{getattr(request, 'method', '')} {request.path}".strip()
        return True


PACK_TOKEN = re.compile(r"/packs/[^/\s'\"]+")


class RedactPackTokens(logging.Filter):
    """A pack's share token is a credential: no log line (message or extra) may carry it."""

    def filter(self, record):
        message = record.getMessage()
        if "/packs/" in message:
            record.msg, record.args = PACK_TOKEN.sub("/packs/<token>", message), ()
        for key, value in list(vars(record).items()):
            if key not in STANDARD and "/packs/" in str(value):
                setattr(record, key, PACK_TOKEN.sub("/packs/<token>", str(value)))
        return True

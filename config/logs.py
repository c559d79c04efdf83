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


# Addresses that carry a credential: a pack's share link, an area's progress link, a
# submitter's status link.
TOKEN_PATHS = ("/packs/", "/progress/", "/share-your-practice/status/")
TOKEN = re.compile("(" + "|".join(re.escape(p) for p in TOKEN_PATHS) + r")[^/\s'\"]+")


def redact_tokens(text):
    return TOKEN.sub(r"\1<token>", text)


class RedactPackTokens(logging.Filter):
    """Share and status tokens are credentials: no log line (message or extra) may carry one."""

    def filter(self, record):
        message = record.getMessage()
        if any(path in message for path in TOKEN_PATHS):
            record.msg, record.args = redact_tokens(message), ()
        for key, value in list(vars(record).items()):
            if key not in STANDARD and any(path in str(value) for path in TOKEN_PATHS):
                setattr(record, key, redact_tokens(str(value)))
        return True

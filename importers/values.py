"""Checking and coercing source values: the one place a text, number, choice or date is read.

Every source (YAML files, web pages) uses these, so a value means the same whatever it came from,
and a bad one is one clear line naming where it was found.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation


class ContentError(Exception):
    """A source the importers cannot apply; the message names the file (or page) and item."""


def text(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def lines(values) -> str:
    return "\n".join(text(v) for v in values or [] if text(v))


def decimal(value, where):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ContentError(f"{where}: {value!r} is not a number") from None


def whole_number(value, where):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ContentError(f"{where}: {value!r} is not a whole number") from None


def choice(value, choices, where, default=""):
    value = text(value) or default
    valid = {c for c, _ in choices}
    if value and value not in valid:
        raise ContentError(f"{where}: {value!r} is not one of {', '.join(sorted(valid))}")
    return value


def iso_date(value, where):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None

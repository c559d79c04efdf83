"""Checking and coercing source values: the one place a text, number, choice or date is read.

Every source (YAML files, web pages) uses these, so a value means the same whatever it came from,
and a bad one is one clear line naming where it was found.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst


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


SENTENCE_END_RE = re.compile(r"[.!?](?:[\"'’”)\]]*)(?=\s|$)")


def shorten(value: str, limit: int) -> tuple[str, bool]:
    """`value` cut to at most `limit` characters: after the last full sentence that fits, else
    after the last whole word with an ellipsis. Returns (text, whether it ended at a sentence)."""
    if len(value) <= limit:
        return value, True
    window = value[:limit]
    ends = [match.end() for match in SENTENCE_END_RE.finditer(window)]
    if ends and ends[-1] >= limit // 3:
        return window[: ends[-1]].rstrip(), True
    words = window[: limit - 1].rsplit(None, 1)[0] if " " in window else window[: limit - 1]
    return words.rstrip(" ,;:") + "…", False


def fit_to_model(model, values: dict) -> list[str]:
    """Shorten every text value in `values` (in place) that is longer than the model's limit for
    it, and say so: one line per field, naming it as the editor's form does."""
    notes = []
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if not limit or len(value) <= limit:
            continue
        values[name], at_sentence = shorten(value, limit)
        where = "at the end of a sentence" if at_sentence else "at a word, with “…”"
        notes.append(
            f"{capfirst(field.verbose_name)} shortened from {len(value):,} to "
            f"{len(values[name]):,} characters (the limit is {limit:,}), {where}: check the end"
        )
    return notes


def field_label(model, name) -> str:
    """A field as the edit form labels it ("what was done", not "what_was_done")."""
    try:
        label = getattr(model._meta.get_field(name), "verbose_name", None)
    except FieldDoesNotExist:
        label = None
    return str(label or name.replace("_", " "))  # inline rows ("contacts") have no label

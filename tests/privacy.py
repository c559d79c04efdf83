"""Find every admin URL that reaches an app's private models, and who can read through it.

Nothing here lists known URLs: the URL resolver is walked, so a route Wagtail (or we) add later
is checked as soon as it exists. A route concerns an app's models when
- its view was built for one of them (a viewset's or chooser's view: `view_initkwargs["model"]`),
- its URL names the app (`<app_label>/<model_name>` routes such as bulk actions and the
  editing-session ping), or
- its view is the app's own code (`support.views...`).

Each pattern is filled in with the ids of real records (for `pk`, `object_id`, revisions, bulk
action ids and search terms), so a view answers about a record rather than a 404.

Used by the support workspace's privacy test; the alert subscribers' and practice submitters'
tests use it the same way for their own private models:

    urls = private_admin_urls("support", [visit, recommendation, ...], query="Zephyrine")
    leaks = leaking_responses(client, urls, marker="Quillfeather")

(each record holds both words: a search box echoes the query, so a leak is the other word).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from pypdf import PdfReader

APP_KWARGS = ("app_label", "app_name", "content_type_app_name")
MODEL_KWARGS = ("model_name", "content_type_model_name")
ID_KWARGS = ("pk", "object_id", "id")
REVISION_KWARGS = ("revision_id", "revision_id_a", "revision_id_b")


@dataclass(frozen=True)
class PrivateURL:
    url: str
    route: str
    model_label: str


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + _pattern_text(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _pattern_text(pattern.pattern), pattern


def _pattern_text(pattern):
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        return text.lstrip("^").rstrip("$")
    return text


def _view_model(callback):
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    return model if model is not None and hasattr(model, "_meta") else None


def _params(route):
    """The parameter names of a route, whether `<int:pk>` or `(?P<pk>...)`."""
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def _fill(route, values):
    """Replace each parameter with its value; None when a parameter has no value."""
    missing = [name for name in _params(route) if name not in values]
    if missing:
        return None

    def value(match):
        return str(values[match.group("name")])

    url = re.sub(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)", value, route)
    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, url)
    url = url.replace("\\.", ".")
    return "/" + url


def _revision_id(record):
    return getattr(record, "latest_revision_id", None)


def _bulk_actions(model):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    meta = model._meta
    return [
        action.action_type
        for action in bulk_action_registry.get_bulk_actions_for_model(
            meta.app_label, meta.model_name
        )
    ] or ["delete"]


def private_admin_urls(app_label, records, *, query):
    """Every URL under the admin that concerns `app_label`'s models, filled in with `records`.

    `records` holds at least one saved instance of each model to check (the first of each model
    is used for its routes). Each URL carries `?id=<pk>&q=<query>` so bulk actions name a real
    record and listings and choosers search for it.
    """
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), record)
    app_models = [m for m in apps.get_app_config(app_label).get_models() if m in by_model]
    found = []
    for route, pattern in _walk(get_resolver()):
        if not route.startswith("admin/"):
            continue
        params = _params(route)
        view_model = _view_model(pattern.callback)
        names_app = any(name in params for name in APP_KWARGS)
        own_code = (getattr(pattern.callback, "__module__", "") or "").startswith(f"{app_label}.")
        if view_model is not None and view_model._meta.app_label == app_label:
            candidates = [view_model] if view_model in by_model else []
        elif names_app or own_code:
            candidates = app_models
        else:
            continue
        for model in candidates:
            record = by_model[model]
            values = {name: record.pk for name in ID_KWARGS}
            values.update({name: app_label for name in APP_KWARGS})
            values.update({name: model._meta.model_name for name in MODEL_KWARGS})
            revision_id = _revision_id(record)
            if revision_id:
                values.update({name: revision_id for name in REVISION_KWARGS})
            for name in params:  # any other number: the record's id
                values.setdefault(name, record.pk)
            actions = _bulk_actions(model) if "action" in params else [None]
            for action in actions:
                if action:
                    values["action"] = action
                url = _fill(route, values)
                if url:
                    found.append(
                        PrivateURL(f"{url}?id={record.pk}&q={query}", route, model._meta.label)
                    )
    return sorted(set(found), key=lambda u: u.url)


def shows(response, marker):
    """Whether a 200 response shows `marker`: in the body, or in a PDF's text (its streams are
    compressed, so the bytes alone would never match)."""
    if response.status_code != 200:
        return False
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        return marker in text
    return marker.encode() in body


def leaking_responses(client, urls, *, marker, post=False):
    """The URLs that answered 200 with the marker in the body (a record's text), and any 500."""
    leaks = []
    for private in urls:
        response = client.post(private.url) if post else client.get(private.url)
        if response.status_code >= 500:
            leaks.append((private.url, response.status_code, "server error"))
        elif shows(response, marker):
            leaks.append((private.url, response.status_code, "record text shown"))
    return leaks


def admin_urls_without_parameters():
    """Every admin URL that needs no parameter (reports, search, dashboards): a record's text
    must not appear in any of them for someone outside the group either."""
    urls = []
    for route, _pattern in _walk(get_resolver()):
        if route.startswith("admin/") and not _params(route) and "(" not in route:
            urls.append("/" + route.replace("\\", ""))
    return sorted(set(urls))


def parameterless_pages_showing(client, *, marker, query):
    """The parameter-free admin pages (searched for `query`, which a search box echoes back) that
    answer 200 with `marker` in the body. Signing out is left out: it would end the session."""
    leaks = []
    for url in admin_urls_without_parameters():
        if "logout" in url:
            continue
        if shows(client.get(f"{url}?q={query}"), marker):
            leaks.append(url)
    return leaks

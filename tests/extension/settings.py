"""The test settings plus the throwaway page type's app and its facet.

Its own SQLite database, so a run never touches the outer test run's (PostgreSQL in CI).
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.extension"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# The facet's declaration: what a line in search/facets.py says for a facet of our own.
SEARCH_EXTRA_FACETS = [
    {
        "name": "funder",
        "field": "funders",
        "label": "Funder",
        "description": "Funder slugs",
        "page_field": "funders",
    }
]

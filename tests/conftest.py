"""Shared test set-up: the report's content is loaded once per test database (per xdist worker).

Tests then run inside transactions on top of it, so never use `transactional_db` (it would
truncate the content for every later test); browser tests run a real server on a copy instead.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_initial_data", verbosity=0)


@pytest.fixture
def home(db):
    from kb.models import HomePage

    return HomePage.objects.get()

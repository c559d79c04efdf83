"""The throwaway app's checks need only a home page, one theme and an index: not the report.

Loaded by the main run too (pytest reads every conftest under tests/), where it adds nothing:
its fixture applies only to tests in this folder, and the main run collects none here.
"""

import pytest
from django.core.management import call_command

THEMES = "- key: housing\n  name: Housing\n  core: true\n"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixtures")
    (folder / "themes.yaml").write_text(THEMES, encoding="utf-8")
    with django_db_blocker.unblock():
        call_command("load_content", fixtures=str(folder), verbosity=0)
        call_command("search_index", "rebuild", verbosity=0)


@pytest.fixture
def fixtures(tmp_path):
    """A fixtures folder with the one theme, to add the new page type's file to."""
    (tmp_path / "themes.yaml").write_text(THEMES, encoding="utf-8")
    return tmp_path

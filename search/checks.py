"""System checks for search (`manage.py check`, run by `make test` and before
`make serve-production` serves).

- The word list spelling correction needs, installed outside Python.
- A search index that disagrees with the database. `search_index check` has always said so
  (exit 1); a deploy that runs only `manage.py check` should hear it too. Comparing reads every
  published page and the index (a cluster call with a cluster engine), so it runs only for
  `manage.py check` itself, not before every command: `search_index update`, the repair, must
  never be refused by it, and `check --deploy`, which `serve-production` runs before
  `search_index ensure` repairs the index, skips it.
"""

import sys

from django.core import checks
from django.db import DatabaseError

from search import dictionary
from search.documents import all_documents
from search.engines import EngineUnavailable, get_engine


@checks.register()
def word_list_installed(app_configs=None, **kwargs):
    """Without the word list, spelling correction could not tell a real word from a typo."""
    problem = dictionary.missing_word_list(dictionary.WORD_LIST)
    if problem is None:
        return []
    return [checks.Error(problem, id="search.E001")]


def invoked_as_plain_check(argv=None) -> bool:
    argv = sys.argv if argv is None else argv
    return len(argv) > 1 and argv[1] == "check" and "--deploy" not in argv


@checks.register("search")
def index_agrees_with_database(app_configs=None, argv=None, **kwargs):
    if not invoked_as_plain_check(argv):
        return []
    engine = get_engine()
    try:
        report = engine.check(list(all_documents()))
    except DatabaseError:  # no database or not migrated yet: nothing to compare
        return []
    except EngineUnavailable as error:
        return [
            checks.Warning(
                f"search index not compared: {error}",
                hint="`manage.py search_index check` says more once the engine answers.",
                id="search.W001",
            )
        ]
    if not report.drift:
        return []
    return [
        checks.Error(
            f"the {engine.name} search index disagrees with the database: "
            f"{len(report.missing)} published page(s) missing, {len(report.stale)} stale, "
            f"{len(report.orphaned)} no longer published",
            hint="Run `manage.py search_index update` (or `search_index ensure`).",
            id="search.E002",
        )
    ]

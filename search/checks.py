"""System checks for what search needs outside Python (`manage.py check`, run by `make test`
and before `make serve-production` serves)."""

from django.core import checks

from search import dictionary


@checks.register()
def word_list_installed(app_configs=None, **kwargs):
    """Without the word list, spelling correction could not tell a real word from a typo."""
    problem = dictionary.missing_word_list(dictionary.WORD_LIST)
    if problem is None:
        return []
    return [checks.Error(problem, id="search.E001")]

"""Where rules live, read from the source: a rule written twice, or an import the wrong way, fails here.

Cheap: it parses our Python files and templates, with no database.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "kb",
    "search",
    "importers",
    "editorial",
    "support",
    "alerts",
    "opendata",
    "config",
    "accessibility",
    "feedback",
    "submissions",
    "ratelimits",
)
OURS = set(APPS)


def python_files(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_modules(tree):
    """(node, dotted module) for every import in the tree, relative ones left relative."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node, "." * node.level + (node.module or "")


def relative(path):
    return str(path.relative_to(ROOT))


def test_kb_imports_none_of_our_other_apps():
    wrong = [
        f"{relative(path)}:{node.lineno} imports {module}"
        for path in python_files("kb")
        for node, module in imported_modules(ast.parse(path.read_text()))
        if module.split(".")[0] in OURS - {"kb"}
    ]
    assert wrong == []


def test_page_models_import_no_page_context_functions():
    """The context functions query the models, so the models may only reach the registry and
    the visibility rule: the import goes one way."""
    allowed = {"kb.contexts.registry", "kb.contexts.visibility"}
    wrong = [
        f"{relative(path)}:{node.lineno} imports {module}"
        for path in python_files("kb/models")
        for node, module in imported_modules(ast.parse(path.read_text()))
        if module.startswith("kb.contexts") and module not in allowed
    ]
    assert wrong == []


def test_public_is_written_once():
    """ "A page anyone may see" is `kb.contexts.visibility.public`; nobody restates it."""
    pattern = re.compile(r"\.live\(\)\s*\.public\(\)")
    restated = [
        relative(path)
        for path in python_files(*APPS, "tests", "bench")
        if pattern.search(path.read_text()) and path.name != "visibility.py"
    ]
    assert restated == []


def test_no_hard_coded_search_path():
    """Links into search come from the route's name: `{% url 'search' %}` or `search_url`."""
    literal = re.compile(r"""["']/search/""")
    places = [path for path in python_files(*APPS) if path.name not in ("api.py", "urls.py")]
    places += sorted((ROOT / "templates").rglob("*.html"))
    assert [relative(path) for path in places if literal.search(path.read_text())] == []


def function_level_imports(path):
    """Imports inside a function that carry no comment saying why (on the line, the line
    before, or the line opening the block), outside an app's ready()."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready":
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            around = lines[max(node.lineno - 3, 0) : node.lineno]
            if not any("#" in line for line in around):
                found.append(f"{relative(path)}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_imports_sit_at_the_top(app):
    """Function-level imports only for optional clients and app start-up, each saying why."""
    assert [line for path in python_files(app) for line in function_level_imports(path)] == []

"""The shape of the search core (ADR 0005): engines translate a shared plan and run the shared
flow; none imports another, none restates the flow, and callers need no hasattr."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from search.engines.base import SearchEngine
from search.engines.cluster import ClusterEngine
from search.engines.embedded import EmbeddedEngine
from search.resilience import ResilientEngine

SEARCH = Path(__file__).resolve().parents[2] / "search"
ENGINE_PACKAGES = ("embedded", "cluster")


def imported_modules(path: Path) -> set[str]:
    """Absolute names of what a module imports (relative imports resolved in its package)."""
    package = ".".join(path.relative_to(SEARCH.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("engine", ENGINE_PACKAGES)
def test_no_engine_imports_another(engine):
    others = [f"search.engines.{name}" for name in ENGINE_PACKAGES if name != engine]
    offending = {
        str(path.relative_to(SEARCH)): sorted(
            name for name in imported_modules(path) if name.startswith(tuple(others))
        )
        for path in (SEARCH / "engines" / engine).glob("*.py")
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_query_core_imports_no_engine():
    for path in (SEARCH / "query").glob("*.py"):
        assert not [n for n in imported_modules(path) if n.startswith("search.engines")], path


@pytest.mark.parametrize("engine_class", [EmbeddedEngine, ClusterEngine])
def test_engines_run_the_one_search_flow(engine_class):
    # The flow (selections, answer, spelling retry, notices) is SearchEngine.search; an engine
    # supplies the steps. The embedded engine only wraps it to turn SQLite errors into 503s.
    search = engine_class.search
    assert getattr(search, "__wrapped__", search) is SearchEngine.search
    assert "answer" in vars(engine_class)


def test_engine_modules_are_small():
    for engine in ENGINE_PACKAGES:
        for path in (SEARCH / "engines" / engine).glob("*.py"):
            assert len(path.read_text().splitlines()) <= 500, path


@pytest.mark.parametrize("member", ["explain", "replay_outbox", "fallback", "suggest", "health"])
def test_the_interface_declares_what_callers_use(member):
    assert hasattr(SearchEngine, member)
    for engine_class in (EmbeddedEngine, ClusterEngine, ResilientEngine):
        assert not inspect.isabstract(engine_class) or engine_class is SearchEngine


def test_no_caller_probes_an_engine_with_hasattr():
    probes = []
    for path in SEARCH.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"hasattr", "getattr"}
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "engine"
            ):
                probes.append(f"{path.relative_to(SEARCH)}:{node.lineno}")
    assert probes == []

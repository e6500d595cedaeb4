"""The package keeps the shape its design promises, checked on the source itself.

The layers are an import-linter contract in pyproject.toml (run by ``make lint``); these tests add
what that contract does not say: no two modules import each other at any depth, no module grows
past a size a reader can hold, no private name crosses a module, and the contract really fails
when someone imports the wrong way.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.conftest import ROOT

SOURCE = ROOT / "src" / "iopdocs"
MAX_LINES = 800


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: every group of modules that reach each other through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_two_modules_import_each_other_at_any_depth() -> None:
    # grimp reads every import statement, those inside functions and TYPE_CHECKING blocks too.
    graph = grimp.build_graph("iopdocs", cache_dir=None)
    edges = {
        module: {
            target
            for target in graph.find_modules_directly_imported_by(module)
            # The package's own __init__ loads names lazily by string; it imports nothing else.
            if target != "iopdocs"
        }
        for module in graph.modules
        if module != "iopdocs"
    }
    assert strongly_connected(edges) == []


def test_the_top_package_is_imported_by_no_module_of_its_own() -> None:
    graph = grimp.build_graph("iopdocs", cache_dir=None)
    assert graph.find_modules_that_directly_import("iopdocs") == set()


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_no_module_is_longer_than_a_reader_can_hold(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_private_name_crosses_a_module_boundary() -> None:
    crossings = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("iopdocs"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        crossings.append(f"{module_name(path)} imports {node.module}.{alias.name}")
    assert crossings == []


def test_the_model_is_pydantic_only() -> None:
    graph = grimp.build_graph("iopdocs", cache_dir=None)
    outside = {
        target
        for module in graph.find_children("iopdocs.model") | {"iopdocs.model"}
        for target in graph.find_modules_directly_imported_by(module)
        if not target.startswith(("iopdocs.model", "iopdocs.errors"))
    }
    assert outside == set()
    assert "_repr_html_" not in (SOURCE / "model" / "base.py").read_text(encoding="utf-8")


def lint_imports(tmp_path: Path, wrong_way: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the contract of pyproject.toml over a copy of the package with some imports added."""
    copy = tmp_path / "src"
    shutil.copytree(SOURCE, copy / "iopdocs", ignore=shutil.ignore_patterns("__pycache__"))
    for module, line in wrong_way.items():
        target = copy / "iopdocs" / module
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_layer_contract_holds_for_the_package_as_it_is(tmp_path: Path) -> None:
    result = lint_imports(tmp_path, {})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers point down KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("batch.py", "from iopdocs import cli", "Layers point down BROKEN"),
        ("word/redline.py", "import iopdocs.documents.context", "Layers point down BROKEN"),
        ("model/base.py", "import iopdocs.display", "Layers point down BROKEN"),
        ("word/docx.py", "import iopdocs.model", "The Word layer knows nothing of IOP BROKEN"),
    ],
)
def test_an_import_the_wrong_way_breaks_the_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    result = lint_imports(tmp_path, {module: line})
    assert result.returncode != 0
    assert broken in result.stdout

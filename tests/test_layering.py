"""Packages import only the stages below them: no cycle between packages, data flows one way."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "logbert"
# each package may import only the packages listed before it
LAYERS = ["errors", "model_files", "parsing", "sessions", "scoring", "models", "pipeline",
          "evaluation", "reporting", "serving", "cli"]  # fmt: skip


def package_imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).parts
        package = parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                pieces = name.split(".")
                if pieces[0] == "logbert" and len(pieces) > 1 and pieces[1] != package:
                    edges.setdefault(package, set()).add(pieces[1])
    return edges


def test_every_package_imports_only_the_layers_below_it():
    edges = package_imports()
    assert set(edges) - {"__init__"} <= set(LAYERS), "a new package needs a place in LAYERS"
    upward = [
        f"{package} -> {target}"
        for package, targets in edges.items()
        if package != "__init__"  # the top-level package re-exports lazily
        for target in targets
        if LAYERS.index(target) >= LAYERS.index(package)
    ]
    assert upward == []

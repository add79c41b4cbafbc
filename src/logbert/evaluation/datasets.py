"""Where the real datasets live: `$LOGBERT_DATA`, else `shared/datasets` beside the project.

One definition for the CLI, the benchmarks and the tests. "The project" is the source checkout
the package runs from (an editable install, `make demo`), so `logbert benchmark` finds the
datasets from any working directory, as the tests and `benchmarks/*.py` do; an installed copy
has no checkout, and its default falls back to `../shared/datasets` from the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

# src/logbert/evaluation/datasets.py -> the checkout root (holding pyproject.toml)
_CHECKOUT = Path(__file__).resolve().parents[3]


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or None for an installed copy."""
    has_project = (_CHECKOUT / "pyproject.toml").is_file()
    return _CHECKOUT if has_project and (_CHECKOUT / "src" / "logbert").is_dir() else None


def datasets_dir(project_root: str | Path | None = None) -> Path:
    """The shared datasets folder: `$LOGBERT_DATA`, else `shared/datasets` beside the project
    (`project_root`, default the checkout this package runs from, else the current directory)."""
    env = os.environ.get("LOGBERT_DATA")
    if env:
        return Path(env)
    root = project_root or checkout_root() or Path.cwd()
    return Path(root).resolve().parent / "shared" / "datasets"

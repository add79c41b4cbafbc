"""Where the real datasets live: `$LOGBERT_DATA`, else `shared/datasets` beside the project.

One definition for the CLI, the benchmarks and the tests.
"""

from __future__ import annotations

import os
from pathlib import Path


def datasets_dir(project_root: str | Path | None = None) -> Path:
    """The shared datasets folder: `$LOGBERT_DATA`, else `shared/datasets` beside the project."""
    env = os.environ.get("LOGBERT_DATA")
    if env:
        return Path(env)
    return Path(project_root or Path.cwd()).resolve().parent / "shared" / "datasets"

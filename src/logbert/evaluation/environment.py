"""Where a benchmark ran: recorded beside its figures, since timings depend on the machine."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from typing import Any


def environment(threads: int | None = None) -> dict[str, Any]:
    """Date, Python, machine, CPUs, torch threads and the load average at the end of the run."""
    import torch

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "torch_threads": threads or torch.get_num_threads(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }

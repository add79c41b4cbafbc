"""How many CPU threads torch may use, scoped to a block of work.

Small models on a busy 2-core machine run several times faster on one intra-op thread than on
two (measured: DeepLog training 1.6 s vs 5.0 s; one LogBERT epoch 2.8 s vs 11-25 s), because
the second thread mostly waits for a core that other processes hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run a block with `n` intra-op threads (None: leave as is), then restore the setting."""
    import torch  # here, so that importing this module (e.g. for `logbert --help`) stays cheap

    before = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)

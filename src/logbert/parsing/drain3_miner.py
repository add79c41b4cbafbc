"""`--parser drain3`: the Drain3 library (wheel `drain3-improved`) behind the miner interface.

Configured with the same kind of generic masks as ours (IPv4, hex, numbers), Drain3's default
similarity threshold (0.4) and depth (4). Kept for side-by-side comparison; it has no `--state`
support here because Drain3 persists with jsonpickle, which we do not load.
"""

from __future__ import annotations

from collections.abc import Sequence

from drain3 import TemplateMiner as _Drain3
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

_EDGE_L = r"((?<=[^A-Za-z0-9])|^)"
_EDGE_R = r"((?=[^A-Za-z0-9])|$)"
DRAIN3_MASKS = [
    _EDGE_L + r"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})" + _EDGE_R,  # IPv4
    _EDGE_L + r"(0x[a-f0-9A-F]+)" + _EDGE_R,  # hex
    _EDGE_L + r"([\-\+]?\d+)" + _EDGE_R,  # numbers
]


def make_drain3(masks: bool = True) -> _Drain3:
    """A Drain3 miner with generic masks (or none); wildcards are written `<*>`."""
    config = TemplateMinerConfig()
    config.profiling_enabled = False
    if masks:
        config.masking_instructions = [MaskingInstruction(p, "*") for p in DRAIN3_MASKS]
    return _Drain3(config=config)


class Drain3Miner:
    """Ids and templates from Drain3 for raw (unmasked) messages."""

    name = "drain3"
    masks_input = False  # Drain3 masks by itself

    def __init__(self) -> None:
        self.miner = make_drain3()

    def add(self, messages: Sequence[str]) -> list[int]:
        add = self.miner.add_log_message
        return [int(add(m)["cluster_id"]) for m in messages]

    def template(self, tid: int) -> str:
        return self.miner.drain.id_to_cluster[tid].get_template()

    @property
    def ids(self) -> list[int]:
        return sorted(self.miner.drain.id_to_cluster)

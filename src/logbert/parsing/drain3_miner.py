"""`--parser drain3`: the Drain3 library (wheel `drain3-improved`) behind the miner interface.

Configured with the same kind of generic masks as ours (IPv4, hex, numbers), Drain3's default
similarity threshold (0.4) and depth (4). Kept for side-by-side comparison.

State is plain JSON like ours (`to_state`/`from_state`): each cluster's id, template tokens and
size. Drain3's own persistence is jsonpickle, which can run code when loaded, so it is never
used; a restored miner rebuilds the clusters and inserts them into Drain3's prefix tree in id
(creation) order, and new clusters continue from the saved `next_id`.
"""

from __future__ import annotations

from collections.abc import Sequence

from drain3 import TemplateMiner as _Drain3
from drain3.drain import LogCluster
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

    def __init__(self, next_id: int = 1) -> None:
        self.miner = make_drain3()
        self.miner.drain.clusters_counter = next_id - 1  # Drain3 numbers clusters counter + 1

    def add(self, messages: Sequence[str], counts: Sequence[int] | None = None) -> list[int]:
        """Cluster ids for messages (each seen `counts` times: only the cluster sizes use it)."""
        add = self.miner.add_log_message
        ids = [int(add(m)["cluster_id"]) for m in messages]
        if counts is not None:
            clusters = self.miner.drain.id_to_cluster
            for tid, c in zip(ids, counts, strict=True):
                clusters[tid].size += int(c) - 1
        return ids

    def match(self, messages: Sequence[str]) -> list[int | None]:
        """Ids of the known clusters the messages fit exactly (None where none does); Drain3's
        `match`, which never changes a cluster. Its tree search goes first, as when the
        message was added; a search over all clusters of the same length is the fallback."""
        match = self.miner.match
        out: list[int | None] = []
        for m in messages:
            cluster = match(m, full_search_strategy="fallback")
            out.append(None if cluster is None else int(cluster.cluster_id))
        return out

    def template(self, tid: int) -> str:
        return self.miner.drain.id_to_cluster[tid].get_template()

    @property
    def ids(self) -> list[int]:
        return sorted(self.miner.drain.id_to_cluster)

    @property
    def next_id(self) -> int:
        return self.miner.drain.clusters_counter + 1

    def to_state(self) -> dict:
        clusters = self.miner.drain.id_to_cluster
        return {
            "parser": self.name,
            "next_id": self.next_id,
            "clusters": [
                {"id": t, "tokens": list(clusters[t].log_template_tokens), "size": clusters[t].size}
                for t in self.ids
            ],
        }

    @classmethod
    def from_state(cls, state: dict) -> Drain3Miner:
        miner = cls()
        drain = miner.miner.drain
        top = 0
        for item in sorted(state["clusters"], key=lambda c: int(c["id"])):
            tokens = item["tokens"]
            if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
                raise ValueError(f"cluster {item['id']}: tokens must be a list of strings")
            cluster = LogCluster(tokens, int(item["id"]))
            cluster.size = int(item.get("size", 1))
            drain.id_to_cluster[cluster.cluster_id] = cluster
            drain.add_seq_to_prefix_tree(drain.root_node, cluster)
            top = max(top, cluster.cluster_id)
        drain.clusters_counter = max(int(state.get("next_id", 1)) - 1, top)
        return miner

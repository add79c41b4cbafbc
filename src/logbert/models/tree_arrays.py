"""scikit-learn decision trees as plain arrays: saved to .npz without pickle, walked in numpy.

`flatten_trees` concatenates any number of fitted `sklearn.tree._tree.Tree` objects (`est.tree_`)
into one set of node arrays (children, split feature, split value, plus whatever per-node values
the caller asks for), child indices pointing into the concatenation and `tree_start` marking
where each tree begins. `tree_leaves` walks every row down every tree at once and returns the
leaf reached (and its depth), so a model predicts with one short vectorised loop.

The walk follows scikit-learn exactly: rows are cast to float32 first (as sklearn's trees do)
and go left when `x[feature] <= split`. Used by the supervised tree models
(`models/supervised.py`); `isolation_forest.flatten_forest` is the same layout with per-tree
column subsets (`features`) and leaf sizes, and can move onto these two functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

TREE_ARRAYS = ("left", "right", "feature", "split", "tree_start")
ROW_CHUNK = 50_000  # rows walked at once (x trees): bounds the int64 node arrays


def flatten_trees(
    trees: Sequence[Any],
    features: Sequence[np.ndarray] | None = None,
    node_values: Callable[[Any], dict[str, np.ndarray]] | None = None,
) -> dict[str, np.ndarray]:
    """Node arrays of all `trees` concatenated (see the module doc).

    `features[i]`: the original column of each column tree i was fit on (when trees see a
    subset or permutation of the columns); `node_values(tree)`: extra per-node arrays to keep
    (class probabilities, leaf sizes), concatenated under their names.
    """
    parts: dict[str, list[np.ndarray]] = {name: [] for name in TREE_ARRAYS[:-1]}
    starts = [0]
    for index, tree in enumerate(trees):
        offset = starts[-1]
        leaf = tree.children_left < 0
        columns = np.maximum(tree.feature, 0)
        if features is not None:
            columns = np.asarray(features[index])[columns]
        parts["left"].append(np.where(leaf, -1, tree.children_left + offset))
        parts["right"].append(np.where(leaf, -1, tree.children_right + offset))
        parts["feature"].append(np.where(leaf, -1, columns))
        parts["split"].append(tree.threshold.astype(float))
        for name, values in (node_values(tree) if node_values else {}).items():
            parts.setdefault(name, []).append(np.asarray(values))
        starts.append(offset + tree.node_count)
    flat = {name: np.concatenate(values) for name, values in parts.items()}
    flat["left"], flat["right"] = flat["left"].astype(np.int64), flat["right"].astype(np.int64)
    flat["feature"] = flat["feature"].astype(np.int64)
    flat["tree_start"] = np.asarray(starts, dtype=np.int64)
    return flat


def tree_leaves(flat: dict[str, np.ndarray], matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(leaf node, depth) of every row in every tree: two int64 arrays (n_trees, n_rows)."""
    x = np.asarray(matrix, dtype=np.float32)
    starts = flat["tree_start"][:-1]
    leaves = np.empty((starts.size, x.shape[0]), dtype=np.int64)
    depths = np.zeros_like(leaves)
    step_rows = max(1, ROW_CHUNK // max(1, starts.size))
    for first in range(0, x.shape[0], step_rows):
        chunk = x[first : first + step_rows]
        node = np.repeat(starts[:, None], chunk.shape[0], axis=1)
        rows = np.broadcast_to(np.arange(chunk.shape[0]), node.shape)
        depth = np.zeros_like(node)
        inner = flat["left"][node] >= 0
        while inner.any():
            go_left = chunk[rows, np.maximum(flat["feature"][node], 0)] <= flat["split"][node]
            step = np.where(go_left, flat["left"][node], flat["right"][node])
            node = np.where(inner, step, node)
            depth += inner
            inner = flat["left"][node] >= 0
        leaves[:, first : first + step_rows] = node
        depths[:, first : first + step_rows] = depth
    return leaves, depths

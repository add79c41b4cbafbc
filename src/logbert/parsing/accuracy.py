"""Parsing accuracy as defined by Loghub-2.0 (Jiang et al., ISSTA 2024): GA, PA, FGA, FTA.

- GA: share of lines whose predicted group has exactly the lines of their ground-truth group.
- FGA: F1 of group precision/recall (a predicted group is correct when it has exactly the lines
  of one ground-truth group).
- PA: share of lines whose predicted template equals the ground truth after normalisation
  (`PA_raw`: the same without normalisation, for reference).
- FTA: F1 over templates; a template is correct when its group is correct AND its text equals
  the ground truth after normalisation.

Predicted groups are template ids (the keys a user gets). `normalize_template` is the
benchmark's template correction (`correct_single_template` in loghub-2.0), applied to both the
prediction and the ground truth.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

_PATH_DELIMS = r"""(\s|,|!|;|:|=|\||"|'|\[|\]|\(|\)|\{|\})"""
_TOKEN_DELIMS = r"""(\s|,|!|;|:|=|\||"|'|\[|\]|\(|\)|\{|\}|\.|-|\+|@|#|\$|%|&)"""
_SPECIAL = {"true", "false", "null", "root"}


def normalize_template(template: str) -> str:
    """Loghub-2.0's template correction (DS, PS, BL/US, DG, WV, DV, CV rules)."""
    t = re.sub(r"\s+", " ", template.strip())
    t = "".join(
        "<*>" if re.match(r"^(\/[^\/]+)+$", tok) else tok for tok in re.split(_PATH_DELIMS, t)
    )
    out = []
    for tok in re.split(_TOKEN_DELIMS, t):
        if (
            tok.lower() in _SPECIAL
            or re.match(r"^\d+$", tok)
            or re.match(r"^[^\s\/]*<\*>[^\s\/]*$", tok)
            and tok != "<*>/<*>"
        ):
            tok = "<*>"
        out.append(tok)
    t = "".join(out)
    for pattern in (r"<\*>\.<\*>", r"<\*><\*>"):
        while True:
            new = re.sub(pattern, "<*>", t)
            if new == t:
                break
            t = new
    for _ in range(2):
        for a in ("#<*>#", "<*>:<*>", "<*>#<*>", "<*>/<*>", "<*>@<*>", "<*>.<*>"):
            while a in t:
                t = t.replace(a, "<*>")
        while " #<*> " in t:
            t = t.replace(" #<*> ", " <*> ")
    return t


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def parsing_metrics(
    truth: Sequence[str], pred_ids: Sequence[object], pred_templates: Sequence[str]
) -> dict[str, float]:
    """GA, PA, FGA, FTA (and PTA/RTA) for one system; sequences are per line."""
    n = len(truth)
    gt = [normalize_template(t) for t in truth]
    cache: dict[str, str] = {}
    pt = [cache.setdefault(t, normalize_template(t)) for t in pred_templates]
    gt_size = Counter(gt)
    groups: dict[object, list[int]] = defaultdict(list)
    for i, g in enumerate(pred_ids):
        groups[g].append(i)
    ga_lines = 0
    good_groups = good_templates = 0
    for members in groups.values():
        labels = {gt[i] for i in members}
        if len(labels) == 1:
            (label,) = labels
            if gt_size[label] == len(members):
                ga_lines += len(members)
                good_groups += 1
                good_templates += pt[members[0]] == label
    n_pred, n_gt = len(groups), len(gt_size)
    pga, rga = good_groups / n_pred, good_groups / n_gt
    pta, rta = good_templates / n_pred, good_templates / n_gt
    return {
        "GA": ga_lines / n,
        "PA": sum(a == b for a, b in zip(gt, pt, strict=True)) / n,
        # exact text, whitespace runs aside, no normalisation (a stricter, non-standard view)
        "PA_raw": sum(
            " ".join(a.split()) == " ".join(b.split())
            for a, b in zip(truth, pred_templates, strict=True)
        )
        / n,
        "FGA": _f1(pga, rga),
        "FTA": _f1(pta, rta),
        "PTA": pta,
        "RTA": rta,
        "templates": n_pred,
        "truth_templates": n_gt,
    }

"""Combinations of detectors, e.g. `new-event+length+ecvc` (Landauer et al., FSE 2024).

The paper combines simple detectors by union: a session is anomalous when ANY part flags it.
`CombinedDetector(parts=(...))` fits each part (a registered detector name) on the same
training sessions; each part keeps its own calibrated threshold t_i (its own rule, on the
validation sessions given to `fit`, else in-sample). To keep one continuous score that
calibrates and ranks like every other detector, each part's score s_i is taken relative to its
threshold and the combination keeps the largest:

    score = max_i (s_i - t_i) / u_i,   u_i = |t_i| if |t_i| > 1e-9 else 1

(u_i = 1 when the threshold is 0, e.g. in-sample new-event or ecvc: then the part's own unit,
one unseen key, one range width, one distance unit). score > 0 exactly when some part flags
the session (s_i > t_i), so the combination's threshold is 0.

Calibration (`calibrate`, which `fit` and `Pipeline` call with `default_threshold_rule`)
depends on what the rule promises:

- `mean+Kstd` and `max` (a rule on each part's scale, no false-alarm rate): every part is
  recalibrated on the given sessions, by its own default rule when the rule is the
  combination's default (`mean+2std`; every simple detector's default as well), else by the
  given rule, and the combination's threshold is 0: "flag when any part flags". (With `max`
  no calibration session is flagged, as the rule says.)
- `fpr:P`, `quantile:Q` and `evt:P` (a false-alarm rate on the verdict: P, 1 - Q): parts
  calibrated each to the rate would flag their union, up to k times the rate for k parts. So
  the parts are recalibrated by their own default rules (which fixes the combined score, the
  same as under the default rule) and the rule thresholds the combined score of the given
  sessions, like for any detector: `fpr:P` keeps its conformal bound on the combined verdict,
  and the p-values (from the same combined scores) agree with it.
- labelled rules (best-f1, precision>=P, recall>=R): the parts keep their thresholds and the
  rule picks a threshold on the combined score, like for any detector.

Cross-fitted (`train --calibration cross-fit`, and `auto` on few normal sessions), the same
rules apply to each part's out-of-fold scores (`calibrate_part_scores`): every part's
threshold then rests on every normal session, not on the 10% split.

Each part is built with its default parameters, or those `part_params` gives it (part name ->
parameters, e.g. `{"logbert": {"epochs": 10}}`; `logbert train --epochs` fills it for the parts
trained in epochs).

Names with `+` resolve through `registry.detector_class` to `combination(name)`: a subclass
(cached per name) whose `parts` default is the named parts and whose `name` is the combined
name, so `clone`, `get_params` and `registry.load_detector` work on it unchanged. The parts
are saved in sub-directories `part_<i>_<name>/` of the model directory, each a complete model
directory of its own (with its own threshold.json), listed in `parts.json`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from logbert.errors import LogbertError
from logbert.models import registry
from logbert.models.base import Detector, _write_json
from logbert.models.checks import check_sessions, corrupt_file, missing_file, read_json
from logbert.models.sequence_tools import restore_tuples
from logbert.scoring.thresholds import Threshold, rule_needs_labels
from logbert.sessions.batch import SessionBatch

PAPER_PARTS = ("new-event", "length", "ecvc")
MANIFEST = "parts.json"  # the parts and their sub-directories, in order
ZERO_THRESHOLD = 1e-9  # |t_i| below this counts as a zero threshold (unit 1)
# rules that promise a false-alarm rate on the verdict: they threshold the combined score
RATE_RULES = ("fpr:", "quantile:", "evt:")


class CombinedDetector(Detector):
    """Flag when any part flags; score = max over parts of the score past its threshold."""

    name: ClassVar[str] = "combined"
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_", "parts_")

    def __init__(
        self, parts: tuple[str, ...] = PAPER_PARTS, part_params: dict | None = None
    ) -> None:
        self.parts = parts
        self.part_params = part_params

    @property
    def stops_early(self) -> bool:  # type: ignore[override]
        """Whether a part stops early on its validation sessions (a cross-fitted bundle then
        keeps the split: see `Detector.stops_early`)."""
        return any(registry.detector_class(part).stops_early for part in self.parts)

    @property
    def score_names(self) -> tuple[str, ...]:  # type: ignore[override]
        """The combined `score`, then each part's own score under the part's name."""
        return ("score", *self.parts)

    def _check_params(self) -> None:
        parts = self.parts
        if isinstance(parts, str) or not isinstance(parts, Sequence) or not parts:
            raise LogbertError(f"{self.name}: parts must be a non-empty tuple of detector names")
        for part in parts:
            if isinstance(part, str) and "+" in part:
                raise LogbertError(f"{self.name}: a part cannot itself be a combination ({part})")
            if not isinstance(part, str) or part not in registry.DETECTORS:
                raise LogbertError(
                    f"{self.name}: unknown part {part!r}; valid: "
                    f"{', '.join(n for n in registry.detector_names() if '+' not in n)}"
                )
            part_class = registry.detector_class(part)
            if issubclass(part_class, CombinedDetector):
                raise LogbertError(f"{self.name}: a part cannot itself be a combination")
            if part_class.supervised:  # refused here, before data is read, not by its fit
                raise LogbertError(
                    f"combinations take unsupervised detectors only; {part} is supervised: "
                    f"train it on its own (--model {part})"
                )
        if len(set(parts)) != len(parts):
            raise LogbertError(f"{self.name}: parts repeat a detector: {', '.join(parts)}")
        self._check_part_params()

    def _check_part_params(self) -> None:
        """`part_params` maps part names to their constructor parameters (the parts' own
        config, e.g. `{"logbert": {"epochs": 10}}`); other names or parameters are refused
        here, before any data is read."""
        given = self.part_params or {}
        if not isinstance(given, dict):
            raise LogbertError(f"{self.name}: part_params must map part names to parameters")
        for part, params in given.items():
            if part not in self.parts:
                raise LogbertError(
                    f"{self.name}: part_params names {part!r}, which is not a part "
                    f"({', '.join(self.parts)})"
                )
            detector = registry.detector_class(part)()
            accepted = set(detector.get_params())
            unknown = set(params or {}) - accepted if isinstance(params, dict) else {"?"}
            if unknown:
                raise LogbertError(
                    f"{self.name}: part_params for {part}: unknown parameters "
                    f"{', '.join(sorted(map(str, unknown)))}; valid: {', '.join(sorted(accepted))}"
                )
            # types and ranges too, before any data is read (the part's own checks)
            detector.set_params(**(params or {}))._check_params()

    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **options: Any) -> None:
        self.parts_ = []
        for part in self.parts:
            detector = registry.detector_class(part)(**(self.part_params or {}).get(part, {}))
            detector.fit(batch, validation=validation, **options)
            self.parts_.append(detector)
        self.training_info_.update(
            n_sessions=len(batch),
            parts={part: d.training_info_ for part, d in zip(self.parts, self.parts_, strict=True)},
        )

    def part_scores(self, X: Any) -> dict[str, np.ndarray]:
        """Each part's own decision score (`decision_function`), by part name."""
        self._require_fitted()
        batch = check_sessions(X)
        return {p: d.decision_function(batch) for p, d in zip(self.parts, self.parts_, strict=True)}

    def combined_scores(self, part_scores: dict[str, np.ndarray]) -> np.ndarray:
        """The combined score of each part's scores (by part name) against the parts'
        thresholds in force (also the normal scores behind p-values after
        `calibrate_part_scores`)."""
        self._require_fitted()
        combined = np.full(len(part_scores[self.parts[0]]), -np.inf)
        for part, detector in zip(self.parts, self.parts_, strict=True):
            threshold = float(detector.threshold_.value)
            unit = abs(threshold) if abs(threshold) > ZERO_THRESHOLD else 1.0
            scores = np.asarray(part_scores[part], dtype=float)
            combined = np.maximum(combined, (scores - threshold) / unit)
        return combined

    def decision_function(self, X: Any) -> np.ndarray:
        self._require_fitted()
        batch = check_sessions(X)
        return self.combined_scores(self.part_scores(batch))

    def score_sessions(self, X: Any, top_events: int = 0) -> dict[str, Any]:
        """The combined score and each part's; `parts_flagging`, per session the parts whose
        score is past their own threshold (QA Mattermost: a window flagged by ecvc's 0.354
        against its 0.316 read `decided_by: score` with a score of 0.12, the combined one);
        with `top_events`, per session the evidence of the first part that flags it and has
        some, else of the first part that has some (QA: `new-event+ecvc` windows flagged by
        ecvc showed new-event's empty list)."""
        self._require_fitted()
        batch = check_sessions(X)
        scores: dict[str, np.ndarray] = {}
        explained: list[tuple[np.ndarray, list]] = []  # (flagged, events) of each part
        flagging: list[list[str]] = [[] for _ in range(len(batch))]
        for part, detector in zip(self.parts, self.parts_, strict=True):
            own = detector.score_sessions(batch, top_events=top_events)
            scores[part] = own[detector.decision_score]
            threshold = getattr(detector, "threshold_", None)  # none before calibration
            part_scores = np.asarray(scores[part], dtype=float)
            flagged = part_scores > (np.inf if threshold is None else threshold.value)
            for i in np.flatnonzero(flagged):
                flagging[i].append(part)
            if "top_events" in own:
                explained.append((flagged, own["top_events"]))
        out = {"score": self.combined_scores(scores), **scores, "parts_flagging": flagging}
        if top_events > 0 and explained:
            out["top_events"] = [_evidence(explained, i) for i in range(len(batch))]
        return out

    def calibrate(
        self,
        X: Any,
        labels: Sequence[int] | np.ndarray | None = None,
        rule: str | None = None,
        source: str = "",
    ) -> Threshold:
        """Recalibrate every part by a rule from normal data and flag when any part flags
        (threshold 0); a labelled rule, or one that promises a false-alarm rate, thresholds
        the combined score (see the module doc)."""
        rule = rule or self.default_threshold_rule
        self._require_fitted()
        if rule_needs_labels(rule):
            return super().calibrate(X, labels, rule, source)
        batch = check_sessions(X)
        return self.calibrate_part_scores(self.part_scores(batch), labels, rule, source)

    def calibrate_part_scores(
        self,
        part_scores: dict[str, np.ndarray],
        labels: Sequence[int] | np.ndarray | None = None,
        rule: str | None = None,
        source: str = "",
    ) -> Threshold:
        """`calibrate` by a rule from normal data on each part's scores computed elsewhere
        (by part name): cross-fitted ones, each from a fold model that never saw the session
        (`pipeline/crossfit.py`), so every part's threshold rests on every normal session, not
        on the validation split (QA Rook: ecvc's threshold from 29 split windows, 12 false
        alarms a day)."""
        rule = rule or self.default_threshold_rule
        self._require_fitted()
        if rule_needs_labels(rule):
            raise LogbertError(f"{self.name}: part scores are calibrated by normal-data rules")
        missing = [part for part in self.parts if part not in part_scores]
        if missing:
            raise LogbertError(f"{self.name}: no scores for the part(s) {', '.join(missing)}")
        per_part = rule != self.default_threshold_rule and not rule.startswith(RATE_RULES)
        for part, detector in zip(self.parts, self.parts_, strict=True):
            own = rule if per_part else detector.default_threshold_rule
            detector.calibrate_scores(part_scores[part], labels=labels, rule=own, source=source)
        n = len(part_scores[self.parts[0]])
        if rule.startswith(RATE_RULES):
            return self.calibrate_scores(self.combined_scores(part_scores), labels, rule, source)
        self.threshold_ = Threshold(
            value=0.0,
            rule=rule,
            score=self.decision_score,
            source=source,
            n_sessions=n,
            n_anomalies=int(np.sum(np.asarray(labels) == 1)) if labels is not None else 0,
        )
        return self.threshold_

    def save_part_thresholds(self, directory: str | Path) -> None:
        """Write each part's threshold into its directory of a saved model: after
        `calibrate` the parts' thresholds decide (threshold 0 flags when any part flags), and
        a model that kept the parts' old thresholds flagged by them (QA: `calibrate --rule
        max` on a combination, then half the normal calibration sessions flagged)."""
        for index, (part, detector) in enumerate(zip(self.parts, self.parts_, strict=True)):
            detector.threshold_.save(
                Path(directory) / _part_directory(index, part) / "threshold.json"
            )

    def _save_state(self, directory: Path) -> None:
        manifest = []
        for index, (part, detector) in enumerate(zip(self.parts, self.parts_, strict=True)):
            detector.save(directory / _part_directory(index, part))
            manifest.append({"name": part, "directory": _part_directory(index, part)})
        _write_json(directory / MANIFEST, {"parts": manifest})

    def _load_state(self, directory: Path) -> None:
        path = directory / MANIFEST
        try:
            manifest = [(p["name"], p["directory"]) for p in read_json(path)["parts"]]
        except (KeyError, TypeError) as exc:
            raise corrupt_file(path, exc) from exc
        expected = [(part, _part_directory(i, part)) for i, part in enumerate(self.parts)]
        if manifest != expected:
            raise corrupt_file(path, f"it lists parts {manifest}, config.json {list(self.parts)}")
        self.parts_ = []
        for part, folder in manifest:
            detector = registry.load_detector(directory / folder)
            if detector.name != part:
                raise LogbertError(
                    f"{directory / folder} holds a {detector.name!r} model, not {part!r}; "
                    "retrain the model"
                )
            if getattr(detector, "threshold_", None) is None:
                raise missing_file(directory / folder / "threshold.json")
            self.parts_.append(detector)

    @classmethod
    def load(cls, directory: str | Path, **options: Any) -> Self:
        detector = super().load(directory, **options)
        restore_tuples(detector, "parts")
        return detector


def _part_directory(index: int, part: str) -> str:
    return f"part_{index}_{part}"


_COMBINATIONS: dict[str, type[CombinedDetector]] = {}


def _all_skip_open_ends(parts: tuple[str, ...]) -> bool:
    """Whether every named part leaves an open session's end unjudged (each part reads the
    batch's open mask), so the combination does too; False for a name that is no detector
    (refused when it is built)."""
    try:
        return all(registry.detector_class(part).skips_open_ends for part in parts)
    except LogbertError:
        return False


def combination(name: str) -> type[CombinedDetector]:
    """The detector class for a `+`-joined name such as `new-event+length+ecvc` (cached).

    Its `parts` default to the named parts and its `name` is the joined name, so
    `detector_class(name)()` is that combination and `load_detector` finds it again.
    """
    parts = tuple(part.strip() for part in name.split("+"))
    key = "+".join(parts)
    if key not in _COMBINATIONS:

        def __init__(  # noqa: N807
            self, parts: tuple[str, ...] = parts, part_params: dict | None = None
        ) -> None:
            self.parts = parts
            self.part_params = part_params

        class_name = "".join(w.capitalize() for w in re.split(r"[^0-9A-Za-z]+", key) if w)
        cls = type(
            class_name,
            (CombinedDetector,),
            {"__init__": __init__, "name": key, "__module__": __name__,
             "skips_open_ends": _all_skip_open_ends(parts), "__doc__": (
                f"Combination {key}: flag when any of {', '.join(parts)} flags (see "
                "CombinedDetector)."
            )},
        )  # fmt: skip
        cls.__qualname__ = class_name
        CombinedDetector._check_params(cls())  # unknown parts fail here, not at fit
        _COMBINATIONS[key] = cls
    return _COMBINATIONS[key]


# The paper's combination, registered by name (`registry.DETECTORS["new-event+length+ecvc"]`).
NewEventLengthEcvc = combination("+".join(PAPER_PARTS))


def _evidence(explained: list[tuple[np.ndarray, list]], i: int) -> list:
    """Session `i`'s evidence: the first part's that flags it and has some, else the first
    part's that has some (`[]` when none has)."""
    for wanted in (True, False):
        for flagged, events in explained:
            if events[i] and (flagged[i] or not wanted):
                return events[i]
    return []

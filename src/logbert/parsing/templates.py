"""Template sets: which template text each id means, so a model and the data it scores can be
checked to speak the same keys.

Template ids are only meaningful together with the templates they were mined as: two parses of
the same logs in a different order, or with another parser, can give the same template
another id. `logbert parse` therefore stores the set of templates known at the end of the run
in the events parquet's schema metadata (`TEMPLATE_SET_KEY`, JSON from `template_set`), and
`template_conflicts` names the ids whose meaning differs between a model and new data. A
template that only got more general (`<*>` where a word was) is the same event, not a conflict.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from logbert.errors import LogbertError
from logbert.parsing.auto import show_difference
from logbert.parsing.template_matcher import allow_long_fields, template_regex

TEMPLATE_SET_KEY = "logbert.template_set"


def fingerprint(templates: dict[int, str]) -> str:
    """sha256 (hex) of the sorted (id, template) pairs, as compact JSON."""
    pairs = sorted((int(t), text) for t, text in templates.items())
    data = json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def template_set(templates: dict[int, str], parser: str) -> dict:
    """`{"fingerprint", "parser", "templates": {"<id>": text}}` (ids in order)."""
    return {
        "fingerprint": fingerprint(templates),
        "parser": parser,
        "templates": {str(t): templates[t] for t in sorted(templates)},
    }


def template_set_templates(value: dict | str | bytes) -> dict[int, str]:
    """id -> text from a template set (the dict, or its JSON as stored in the metadata)."""
    data = json.loads(value) if isinstance(value, (str, bytes)) else value
    return {int(t): text for t, text in data["templates"].items()}


def read_template_set(events: str | Path) -> dict | None:
    """The template set stored in an events parquet's schema metadata (None if absent)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(events).metadata or {}
    raw = meta.get(TEMPLATE_SET_KEY.encode())
    return None if raw is None else json.loads(raw)


@lru_cache(maxsize=65_536)
def _regex(template: str) -> re.Pattern:
    return re.compile(template_regex(template), re.DOTALL)


def compatible(a: str, b: str) -> bool:
    """Same event: equal text, or one template generalises the other (its regex matches the
    other's text, wildcards included)."""
    if a == b:
        return True
    return _regex(a).match(b) is not None or _regex(b).match(a) is not None


def template_conflicts(
    model: dict[int, str], data: dict[int, str], exact: bool = False
) -> list[int]:
    """Ids of the model's templates whose text in `data` is missing or means another event
    (`exact`: is not the same text, for data that cannot be a later run of the model's)."""
    same = (lambda a, b: a == b) if exact else compatible
    return sorted(t for t, text in model.items() if t not in data or not same(text, data[t]))


def require_same_parse_run(
    ours: dict[int, str],
    theirs: dict[int, str],
    *,
    data: str,
    reference: str,
    remedy: str,
    exact: bool = False,
) -> None:
    """Refuse data whose template ids mean other events than the reference's: keys from
    another parse run would be scored (or calibrated, or validated) as the wrong events.
    `data` and `reference` name both sides in the message ("--validation FILE", "the model");
    `remedy` says what to do; `exact`: a template only made more general counts too, for
    data that cannot come from a later run of the reference's (QA network logs: a parse of
    both days had generalised 9 of a model's 77 ids, `Interface <*>` for `Interface
    GigabitEthernet1/<*>/<*>`; its sessions passed and 5 of 907 verdicts changed). Nothing
    to compare when either side has no template set."""
    conflicts = template_conflicts(ours, theirs, exact) if ours and theirs else []
    if conflicts:
        key = conflicts[0]
        shown, other = show_difference(ours[key], str(theirs.get(key)))
        raise LogbertError(
            f"{data} was parsed in another run than {reference}: {len(conflicts)} of "
            f"{len(ours)} templates have other ids there (key {key} is {shown} for "
            f"{reference}, {other} there). {remedy}"
        )


def require_same_text(
    ours: dict[int, str], theirs: dict[int, str], *, data: str, reference: str, remedy: str
) -> None:
    """As `require_same_parse_run`, over the keys both sides name only: for a reference that
    knows a part of the keys (the templates a frozen parser mined from new logs so far, the
    text a scores file shows), a key one side lacks is no conflict, a key whose text differs
    is."""
    shared = {key: text for key, text in ours.items() if key in theirs}
    require_same_parse_run(shared, theirs, data=data, reference=reference, remedy=remedy)


TEMPLATES_FILE_REMEDY = (
    "Its text would label the model's keys as other events: pass the templates.csv of the "
    "model's parse run, or leave out --templates to use the model's own."
)


def require_templates_file(ours: dict[int, str], path: str | Path) -> dict[int, str]:
    """The templates of a `--templates FILE` (`read_templates`), refused when FILE comes from
    another parse run than the model's training data (`ours`: the model's key -> text): its
    text would label the model's keys as other events, in score evidence and in reports alike
    (`logbert score` and `logbert report` both check here). Nothing to compare when either
    side is empty. This compares the keys the model knew at training only: keys new since
    then (mined while scoring, or recorded by the data's own template set) are for the
    caller to compare with `require_same_text` and `TEMPLATES_FILE_REMEDY`."""
    theirs = read_templates(path)
    require_same_parse_run(
        ours,
        theirs,
        data=f"--templates {path}",
        reference="the model's training data",
        remedy=TEMPLATES_FILE_REMEDY,
    )
    return theirs


def replaced_templates_warning(old: dict[int, str], new: dict[int, str], path: Path) -> str | None:
    """A warning when a run wrote `path` (a templates.csv) over one of an earlier run (`old`)
    whose ids mean other templates in `new`: `templates.csv` has one fixed name per folder, so
    sessions and events of the earlier run lose their template text without a word. None when
    every earlier template keeps its id (the same log again, or a run with the same --state)."""
    changed = template_conflicts(old, new)
    if not changed:
        return None
    return (
        f"warning: replaced {path.name} of an earlier parse run in {path.parent} ({len(changed):,} "
        f"of its {len(old):,} template ids now mean other templates or none): sessions from "
        "that run can no longer use it; write each run's output into its own folder"
    )


def read_templates(path: str | Path | None) -> dict[int, str]:
    """template_id -> template text from a `templates.csv` written by `logbert parse`."""
    if path is None or not Path(path).exists():
        return {}
    allow_long_fields()
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return {int(r["template_id"]): r["template"] for r in csv.DictReader(handle)}
    except (KeyError, ValueError, csv.Error) as exc:
        raise LogbertError(
            f"{path}: expected a templates.csv with columns template_id,template ({exc})"
        ) from exc

"""Build the report: load the inputs, draw each section, write the HTML and its PNGs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from logbert.errors import LogbertError
from logbert.parsing.templates import read_templates
from logbert.reporting import sections
from logbert.reporting.categories import categories_section
from logbert.reporting.context import FIGURE_NAMES, ReportData
from logbert.reporting.headline import key_figures, warnings
from logbert.reporting.html import join, page, tag
from logbert.reporting.inputs import load_evaluation, load_model_dir, load_scores
from logbert.reporting.top_sessions import read_session_keys, top_sessions_section

DEFAULT_TOP = 10


@dataclass
class ReportResult:
    """What was written, and which sections had to say their data was missing."""

    html_path: Path
    figure_paths: list[Path]
    missing: list[str]


def build_report(
    model_dir: str | Path,
    output: str | Path,
    scores: str | Path | None = None,
    evaluation: str | Path | None = None,
    sessions: str | Path | None = None,
    templates: str | Path | None = None,
    top: int = DEFAULT_TOP,
) -> ReportResult:
    """Write `output` (self-contained HTML) and `<output stem>_files/*.png` beside it."""
    output = Path(output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise LogbertError(f"report output must be an .html file, got {output}")
    if top < 0:
        raise LogbertError(f"--top must be 0 or more, got {top}")
    model = load_model_dir(model_dir)
    data = ReportData(model=model)
    if evaluation is not None:
        data.evaluation = load_evaluation(evaluation)
        data.evaluation_path = Path(evaluation)
    if scores is not None:
        data.scores = load_scores(scores, column=data.deciding, top=top, declared=model.score_names)
    lookup = _templates(model.path, templates)
    top_rows = None if data.scores is None else data.scores.top_rows
    keys = {}
    if sessions is not None and top_rows:
        keys = read_session_keys(sessions, (str(r.get("session_id")) for r in top_rows))

    parts = [
        sections.training_section(data),
        sections.scores_section(data),
        sections.quality_section(data),
        *([section] if (section := categories_section(data)) is not None else []),
        sections.sweep_section(data),
        top_sessions_section(top_rows, data.threshold, lookup, keys, data.scores),
        sections.model_section(data),
    ]
    name = str((model.config or {}).get("model") or "model")
    subtitle = join(
        [
            f"Model {model.path}",
            f"; scores {data.scores.path}" if data.scores else "; no scores",
            f"; evaluation {data.evaluation_path}" if data.evaluation_path else "; no evaluation",
        ]
    )
    header = join([key_figures(data), *warnings(data)])
    document = page(f"logbert report: {name}", tag("span", subtitle), header, parts)

    output.parent.mkdir(parents=True, exist_ok=True)
    figure_dir = output.with_name(f"{output.stem}_files")
    figure_dir.mkdir(exist_ok=True)
    for stale in FIGURE_NAMES:
        (figure_dir / f"{stale}.png").unlink(missing_ok=True)
    written = []
    for file_name, png in data.figures.items.items():
        path = figure_dir / file_name
        path.write_bytes(png)
        written.append(path)
    output.write_text(document, encoding="utf-8")
    missing = [s.title for s in parts if 'class="missing"' in s.body]
    return ReportResult(output, written, missing)


def _templates(model_dir: Path, path: str | Path | None) -> dict[int, str]:
    """Template text by key: from `--templates`, else the model directory's templates.csv."""
    if path is not None and not Path(path).is_file():
        raise LogbertError(f"templates file not found: {path}; pass the one `logbert parse` wrote")
    return read_templates(path if path is not None else model_dir / "templates.csv")

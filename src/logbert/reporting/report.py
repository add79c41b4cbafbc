"""Build the report: load the inputs, draw each section, write the HTML and its PNGs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from logbert.errors import LogbertError
from logbert.parsing.templates import TEMPLATES_FILE_REMEDY, read_templates, require_same_text
from logbert.reporting import sections
from logbert.reporting.categories import categories_section
from logbert.reporting.context import FIGURE_NAMES, ReportData
from logbert.reporting.headline import key_figures, warnings
from logbert.reporting.html import join, page, tag
from logbert.reporting.inputs import (
    ModelInfo,
    ScoreTable,
    load_evaluation,
    load_model_dir,
    load_scores,
)
from logbert.reporting.provenance import (
    check_evaluation,
    check_evaluation_scores,
    check_scores,
    check_sessions_file,
    check_sessions_found,
    check_templates_file,
    session_id_check,
)
from logbert.reporting.top_sessions import read_session_keys, top_sessions_section
from logbert.sessions.io import create_output_folder, recorded_templates

DEFAULT_TOP = 10


@dataclass
class ReportResult:
    """What was written, which sections had to say their data was missing, and the warnings
    shown at the top of the page (for the CLI to repeat on stderr)."""

    html_path: Path
    figure_paths: list[Path]
    missing: list[str]
    warnings: list[str]


def build_report(
    model_dir: str | Path,
    output: str | Path,
    scores: str | Path | None = None,
    evaluation: str | Path | None = None,
    sessions: str | Path | None = None,
    templates: str | Path | None = None,
    top: int = DEFAULT_TOP,
) -> ReportResult:
    """Write `output` (self-contained HTML) and `<output stem>_files/*.png` beside it.

    Inputs that do not belong to the model (another detector's evaluation, another model's
    scores, another parse run's sessions or templates) are refused before anything is
    written; see `provenance`.
    """
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
        data.notes += check_evaluation(model, data.evaluation, data.evaluation_path)
    if scores is not None:
        ids = session_id_check(model)
        data.scores = load_scores(
            scores,
            column=data.deciding,
            top=top,
            declared=model.score_names,
            session_id_fits=ids[0] if ids else None,
        )
        threshold_from = (
            f"{data.evaluation_path} (threshold_info)"
            if data.evaluation_path is not None and data.evaluation.get("threshold_info")
            else f"{model.path}/threshold.json"
        )
        ids_made = ids[1] if ids else None
        data.notes += check_scores(model, data.scores, data.threshold, threshold_from, ids_made)
        if data.evaluation is not None:
            check_evaluation_scores(data.evaluation, data.evaluation_path, data.scores)
        if data.scores.labels is None:  # (QA Sendmail: both files given, no curve, unsaid)
            data.notes.append(
                f"{data.scores.path} holds no labels (scored without --labels), so no ROC, "
                "precision-recall or sweep is drawn, an evaluation file beside it or not: "
                "score with --labels FILE (`score MODEL LOGS --logs --labels labels.csv`)"
            )
    keys = {}
    if sessions is not None:
        data.notes += check_sessions_file(model, Path(sessions))
    lookup = _templates(model, templates, data.scores, sessions)
    top_rows = None if data.scores is None else data.scores.top_rows
    if sessions is not None and top_rows:
        wanted = list(dict.fromkeys(str(r.get("session_id")) for r in top_rows))
        keys = read_session_keys(sessions, wanted)
        data.notes += check_sessions_found(Path(sessions), wanted, keys)

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

    create_output_folder(output, "report")
    figure_dir = output.with_name(f"{output.stem}_files")
    create_output_folder(figure_dir, "report figures folder", directory=True)
    for stale in FIGURE_NAMES:
        (figure_dir / f"{stale}.png").unlink(missing_ok=True)
    written = []
    for file_name, png in data.figures.items.items():
        path = figure_dir / file_name
        path.write_bytes(png)
        written.append(path)
    output.write_text(document, encoding="utf-8")
    missing = [s.title for s in parts if 'class="missing"' in s.body]
    return ReportResult(output, written, missing, list(data.notes))


def _templates(
    model: ModelInfo,
    path: str | Path | None,
    scores: ScoreTable | None = None,
    sessions: str | Path | None = None,
) -> dict[int, str]:
    """Template text by key: from `--templates` (refused when from another parse run than
    the model's, or naming a key otherwise than the `scores` show it or the `sessions` file
    records it), else the model directory's templates.csv, else its training template set;
    keys mined after training take the sessions file's text."""
    recorded = recorded_templates(sessions) if sessions is not None else {}
    if path is not None:
        if not Path(path).is_file():
            raise LogbertError(
                f"templates file not found: {path}; pass the one `logbert parse` wrote"
            )
        given = check_templates_file(model, Path(path), scores)
        require_same_text(
            recorded, given, data=f"--templates {path}", reference=str(sessions),
            remedy=TEMPLATES_FILE_REMEDY,
        )  # fmt: skip
        return given
    return {**recorded, **(read_templates(model.path / "templates.csv") or model.template_set)}

import base64
import json
import re
from html.parser import HTMLParser

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logbert.errors import LogbertError
from logbert.reporting.context import FIGURE_NAMES
from logbert.reporting.report import build_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "span",
    "div",
    "nav",
    "a",
    "section",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "code",
    "details",
    "summary",
    "ul",
    "li",
}


class TagCollector(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def render(paths, tmp_path, **options):
    result = build_report(paths["model"], tmp_path / "out" / "report.html", **options)
    return result, result.html_path.read_text(encoding="utf-8")


def test_full_report_has_every_figure_inline_and_beside_it(report_inputs, tmp_path):
    paths = report_inputs()
    result, html = render(
        paths,
        tmp_path,
        scores=paths["scores"],
        evaluation=paths["evaluation"],
        sessions=paths["sessions"],
    )
    assert result.missing == []
    assert sorted(p.stem for p in result.figure_paths) == sorted(FIGURE_NAMES)
    inline = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(inline) == len(FIGURE_NAMES)
    files = {p.read_bytes() for p in result.figure_paths}
    assert {base64.b64decode(data) for data in inline} == files
    assert all(png.startswith(PNG_MAGIC) for png in files)
    assert "http://" not in html and "https://" not in html


def test_key_figures_and_verdicts_appear(report_inputs, tmp_path):
    paths = report_inputs()
    metrics = paths["metrics"]
    _, html = render(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    for key in ("f1", "precision", "recall", "roc_auc", "pr_auc"):
        assert f"{metrics[key]:.4g}" in html
    assert ">1.5<" in html  # the threshold
    assert "Reading: " in html and "not detection quality" in html
    assert "not for setting the threshold" in html
    assert "precision-first" in html and "recall-first" in html and "balanced" in html
    assert "validation.parquet (855 normal sessions)" in html  # threshold provenance
    assert "n_validation" in html  # training data


def test_log_content_cannot_inject_html(report_inputs, tmp_path):
    paths = report_inputs()
    _, html = render(
        paths,
        tmp_path,
        scores=paths["scores"],
        evaluation=paths["evaluation"],
        sessions=paths["sessions"],
        top=len(paths["rows"]),
    )
    collector = TagCollector()
    collector.feed(html)
    assert {tag for tag, _ in collector.tags} <= ALLOWED_TAGS
    for tag, attrs in collector.tags:
        assert not [name for name in attrs if name.startswith("on")], tag
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html  # shown, as text
    assert "<script" not in html


def test_missing_inputs_are_reported_not_fatal(report_inputs, tmp_path):
    paths = report_inputs(history=False, threshold=False)
    result, html = render(paths, tmp_path)
    assert set(result.missing) == {
        "Training",
        "Scores",
        "Detection quality",
        "Threshold sweep",
        "Top anomalous sessions",
        "Model and data",
    }
    assert "No history.json" in html and "No scores file given" in html
    assert result.figure_paths == []


def test_unlabelled_scores_still_show_distribution(report_inputs, tmp_path):
    paths = report_inputs(labels=False)
    result, html = render(paths, tmp_path, scores=paths["scores"])
    assert [p.stem for p in result.figure_paths] == ["training_loss", "score_distributions"]
    assert "carry no labels" in html and "quality cannot be measured" in html


def test_evaluation_beside_unlabelled_scores_says_why_plots_are_unlabelled(report_inputs, tmp_path):
    """QA Grid Engine: F1 from the evaluation in the headline, while every section asked for
    labels; the page says once where the figures come from and how scores get labels."""
    paths = report_inputs(labels=False)
    n = paths["metrics"]["n_sessions"]
    result, html = render(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    assert (
        f"The detection figures come from evaluation_results.json ({n:,} labelled sessions); "
        "scores.jsonl carries no labels"
    ) in html
    assert "score MODEL LOGS --logs --labels labels.csv" in html
    # ... and the terminal says it too (QA Sendmail: "sections lacking data" alone)
    assert any("holds no labels (scored without --labels)" in w for w in result.warnings)
    _, labelled = render(
        report_inputs(), tmp_path, scores=paths["scores"], evaluation=paths["evaluation"]
    )
    assert "The detection figures come from" not in labelled


def test_metrics_come_from_scores_without_evaluation(report_inputs, tmp_path):
    paths = report_inputs()
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert "computed from scores.jsonl (score) at the threshold" in html
    assert f"{paths['metrics']['f1']:.4g}" in html


def test_disagreeing_evaluation_is_flagged(report_inputs, tmp_path):
    paths = report_inputs()
    evaluation = json.loads(paths["evaluation"].read_text())
    evaluation["f1"] = 0.123
    paths["evaluation"].write_text(json.dumps(evaluation))
    _, html = render(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    assert "disagree on f1" in html


def test_flagged_silent_windows_counted_by_the_evaluation_are_no_disagreement(
    report_inputs, tmp_path
):
    """QA ntpd: `evaluate --logs` counts flagged silent windows (rows of no score in the scores
    file of the same run), and the report said the two "disagree ... the same run?"."""
    from logbert.evaluation.metrics import add_flagged

    paths = report_inputs()
    silent = [
        {"session_id": f"ntp2@2026-12-03T2{i}:00:00", "score": None, "is_anomaly": True,
         "decided_by": "silence", "label": "anomaly" if i else "normal"}
        for i in range(3)
    ]  # fmt: skip
    with open(paths["scores"], "a") as handle:
        handle.write("".join(json.dumps(r) + "\n" for r in silent))
    evaluation = add_flagged(json.loads(paths["evaluation"].read_text()), 2, 1)
    evaluation["silences"] = {"windows_flagged": 3, "labelled_anomalous": 2, "labelled_normal": 1}
    paths["evaluation"].write_text(json.dumps(evaluation))
    _, html = render(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    assert "disagree" not in html
    evaluation["f1"] = 0.123  # ... a real difference still is one
    paths["evaluation"].write_text(json.dumps(evaluation))
    _, html = render(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    assert "disagree on f1" in html


def test_evaluating_the_training_file_is_flagged(report_inputs, tmp_path):
    paths = report_inputs()
    config = json.loads((paths["model"] / "config.json").read_text())
    config["training"]["sessions_file"] = "data/sessions.parquet"
    (paths["model"] / "config.json").write_text(json.dumps(config))
    evaluation = json.loads(paths["evaluation"].read_text())
    _, html = render(paths, tmp_path, evaluation=paths["evaluation"])
    assert "trained on" not in html
    evaluation["sessions_file"] = "other/sessions.parquet"
    paths["evaluation"].write_text(json.dumps(evaluation))
    _, html = render(paths, tmp_path, evaluation=paths["evaluation"])
    assert "seem to be the file the model was trained on (sessions.parquet" in html
    # the evaluation's own check speaks for its data (QA: test files named like the training
    # files, in another folder, were called the training data)
    evaluation["training_overlap"] = {"n_sessions": 40, "in_training": 0, "in_validation": 0,
                                      "in_calibration": 0, "checked": True}  # fmt: skip
    paths["evaluation"].write_text(json.dumps(evaluation))
    _, html = render(paths, tmp_path, evaluation=paths["evaluation"])
    assert "trained on" not in html and "training sessions of the model" not in html
    evaluation["training_overlap"].update(in_training=30, in_calibration=4)
    paths["evaluation"].write_text(json.dumps(evaluation))
    _, html = render(paths, tmp_path, evaluation=paths["evaluation"])
    assert "30 of the 40 sessions evaluated were training sessions of the model" in html
    # not two groups to add: a cross-fitted threshold is calibrated on the training sessions
    assert "and 4 were sessions its threshold was calibrated on (a session can be both" in html


def test_threshold_calibrated_on_shown_scores_is_flagged(report_inputs, tmp_path):
    paths = report_inputs()
    record = json.loads((paths["model"] / "threshold.json").read_text())
    record["source"] = "scores.jsonl (best-f1)"
    (paths["model"] / "threshold.json").write_text(json.dumps(record))
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert "optimistic" in html


def test_whole_sessions_with_sessions_file(report_inputs, tmp_path):
    paths = report_inputs()
    _, with_sessions = render(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    _, without = render(paths, tmp_path, scores=paths["scores"])
    # the sessions file adds the unremarkable events (positions 1 and 3) to each block
    assert with_sessions.count('<tr class="surprise">') == without.count('<tr class="surprise">')
    assert with_sessions.count("<tr>") > without.count("<tr>")
    assert "pass --sessions" in without and "pass --sessions" not in with_sessions


def test_rerun_removes_figures_it_no_longer_draws(report_inputs, tmp_path):
    paths = report_inputs()
    first, _ = render(paths, tmp_path, scores=paths["scores"])
    second, _ = render(paths, tmp_path)
    assert len(first.figure_paths) == 5 and len(second.figure_paths) == 1
    assert sorted(p.name for p in second.figure_paths[0].parent.iterdir()) == ["training_loss.png"]


@pytest.mark.parametrize(
    ("output", "top", "message"), [("r.txt", 10, "must be an .html"), ("r.html", -1, "--top")]
)
def test_bad_options(report_inputs, tmp_path, output, top, message):
    paths = report_inputs()
    with pytest.raises(LogbertError, match=message):
        build_report(paths["model"], tmp_path / output, top=top)


def test_evaluation_alone_gives_headline_and_confusion_matrix(report_inputs, tmp_path):
    paths = report_inputs()
    result, html = render(paths, tmp_path, evaluation=paths["evaluation"])
    assert [p.stem for p in result.figure_paths] == ["training_loss", "confusion_matrix"]
    assert f"{paths['metrics']['f1']:.4g}" in html
    assert "ROC and precision-recall curves need scores" in html
    assert "--logs --labels labels.csv" in html  # how scores get labels


def test_parquet_scores_give_the_same_page(report_inputs, tmp_path):
    paths = report_inputs()
    parquet = tmp_path / "scores.parquet"
    pq.write_table(pa.Table.from_pylist(paths["rows"]), parquet)
    _, from_jsonl = render(paths, tmp_path, scores=paths["scores"])
    _, from_parquet = render(paths, tmp_path, scores=parquet)
    assert from_parquet.replace("scores.parquet", "scores.jsonl") == from_jsonl


def test_odd_field_types_do_not_crash(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model": "ngram", "score_names": 3}))
    (model / "threshold.json").write_text(
        json.dumps({"value": 1.5, "rule": "max", "score": "score"})
    )
    history = {"steps": 7, "epochs": [{"epoch": "one", "train_loss": "x"}, 4, {"val_loss": 1}]}
    (model / "history.json").write_text(json.dumps(history))
    scores = tmp_path / "scores.jsonl"
    rows = [
        {"score": 1, "label": "normal", "is_anomaly": "yes", "top_events": {"a": 1}},
        {
            "score": 2,
            "label": "anomaly",
            "top_events": [3, {"position": "2", "surprise": "x", "expected": 4}],
        },
        {"score": True, "label": "anomaly"},
    ]
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    evaluation = tmp_path / "evaluation_results.json"
    evaluation.write_text(json.dumps({"f1": "n/a", "confusion_matrix": {"tn": "1"}}))
    result, html = render({"model": model}, tmp_path, scores=scores, evaluation=evaluation)
    assert "1 of 3 rows in scores.jsonl have no numeric score" in html
    assert "roc_pr" in [p.stem for p in result.figure_paths]


def test_templates_file_and_end_of_session_event(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text(json.dumps({"model": "ngram"}))
    (model / "templates.csv").write_text("template_id,template,count\n5,Receiving <*>,3\n")
    row = {
        "session_id": "s1",
        "score": 9.0,
        "top_events": [
            {
                "position": 2,
                "key": None,
                "template": "<end of session>",
                "surprise": 7.5,
                "expected": [{"key": 6, "template": "Served <*>", "prob": 0.9}],
            },
        ],
    }
    scores = tmp_path / "scores.jsonl"
    scores.write_text(json.dumps(row) + "\n")
    sessions = tmp_path / "sessions.jsonl"
    sessions.write_text(json.dumps({"session_id": "s1", "keys": [5, 5]}) + "\n")
    _, html = render({"model": model}, tmp_path, scores=scores, sessions=sessions)
    assert html.count("5: Receiving &lt;*&gt;") == 2  # from the model dir's templates.csv
    assert "&lt;end of session&gt;" in html and "6: Served &lt;*&gt;" in html
    with pytest.raises(LogbertError, match="templates file not found"):
        build_report(model, tmp_path / "r.html", templates=tmp_path / "absent.csv")


def test_detectors_without_explanations_get_a_plain_listing(report_inputs, tmp_path):
    paths = report_inputs()
    rows = [{k: v for k, v in r.items() if k != "top_events"} for r in paths["rows"]]
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))
    result, html = render(paths, tmp_path, scores=paths["scores"], top=3)
    assert "does not explain its scores" in html and "<details" not in html
    assert "Top anomalous sessions" not in result.missing
    _, with_sessions = render(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    assert with_sessions.count("<details") == 10 and "Highlighted rows" not in with_sessions


def test_empty_history_says_no_curve_was_recorded(report_inputs, tmp_path):
    paths = report_inputs()
    (paths["model"] / "history.json").write_text("{}")
    result, html = render(paths, tmp_path)
    assert "not trained by gradient steps" in html and "Training" in result.missing


def _decide_on(paths, column, value=1.5, **config):
    """Make the model's threshold apply to `column` (and add `config` to config.json)."""
    record = json.loads((paths["model"] / "threshold.json").read_text())
    record.update(score=column, value=value)
    (paths["model"] / "threshold.json").write_text(json.dumps(record))
    if config:
        current = json.loads((paths["model"] / "config.json").read_text())
        (paths["model"] / "config.json").write_text(json.dumps({**current, **config}))


LACKS = "The scores lack `max_surprise`, the score the threshold applies to; rescore with this"


def test_scores_lacking_the_deciding_column_give_no_verdict_metrics(report_inputs, tmp_path):
    """The threshold applies to max_surprise; the file has only score and miss_ratio."""
    paths = report_inputs()
    _decide_on(paths, "max_surprise", 7.65)
    result, html = render(paths, tmp_path, scores=paths["scores"], sessions=paths["sessions"])
    # no verdict numbers from `score` at max_surprise's threshold: no F1 box, no matrix, no sweep
    assert '<div class="k">F1</div>' not in html and '<div class="k">recall</div>' not in html
    assert "Metrics computed from" not in html
    assert [p.stem for p in result.figure_paths] == ["training_loss", "score_distributions"]
    assert LACKS in html
    assert html.count(LACKS) >= 4  # warning, scores, quality, sweep (and top sessions)
    assert "none is computed from another score" in html
    assert {"Detection quality", "Threshold sweep"} <= set(result.missing)
    # what it can show: each column present, under its own name
    assert "<td>score</td><td>all</td>" in html and "<td>miss_ratio</td><td>all</td>" in html
    assert "<td>score</td><td>anomalous</td>" in html
    assert "none of these is the model&#x27;s verdict" in html  # per-column ranking, no threshold
    # top sessions: no deciding value, no verdict computed from `score`
    assert "no max_surprise; score " in html and "ranked by `score` here" in html
    assert "(threshold 7.65)" not in html


def test_lacking_deciding_column_with_evaluation_keeps_its_headline(report_inputs, tmp_path):
    paths = report_inputs()
    _decide_on(paths, "max_surprise", 7.65)
    evaluation = json.loads(paths["evaluation"].read_text())
    evaluation["threshold_info"].update(score="max_surprise", value=7.65)  # this model's
    evaluation["f1"] = 0.777  # would "disagree" with F1 recomputed from `score`
    paths["evaluation"].write_text(json.dumps(evaluation))
    result, html = render(paths, tmp_path, scores=paths["scores"], evaluation=paths["evaluation"])
    assert ">0.777<" in html and "from evaluation_results.json" in html
    assert "disagree" not in html  # nothing is recomputed from another column
    assert "come from evaluation_results.json alone" in html
    assert "roc_pr" not in [p.stem for p in result.figure_paths]
    assert "threshold_sweep" not in [p.stem for p in result.figure_paths]


def test_any_column_named_by_the_threshold_decides(report_inputs, tmp_path):
    """No score name is hard-coded: a `tail_score` column decides when the threshold says so."""
    paths = report_inputs()
    rows = [dict(r, tail_score=r["score"] * 10) for r in paths["rows"]]
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))
    _decide_on(paths, "tail_score", 15.0, score_names=["score", "miss_ratio", "tail_score"])
    result, html = render(paths, tmp_path, scores=paths["scores"])
    # same verdicts as `score` at 1.5, since tail_score is score x 10
    assert f"{paths['metrics']['f1']:.4g}" in html
    assert "computed from scores.jsonl (tail_score) at the threshold" in html
    assert "Deciding score: tail_score" in html and "Also shown" in html
    assert sorted(p.stem for p in result.figure_paths) == sorted(FIGURE_NAMES)
    assert "lack" not in html


def test_declared_score_names_are_checked(report_inputs, tmp_path):
    paths = report_inputs()
    _decide_on(paths, "score", score_names=["score", "max_surprise"])
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert "the scores lack max_surprise" in html  # declared, absent: said, not fatal
    assert "does not declare" not in html
    _decide_on(paths, "miss_ratio", score_names=["score", "max_surprise"])
    rows = [{k: v for k, v in r.items() if k != "is_anomaly"} for r in paths["rows"]]
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))  # verdicts of `score`
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert "applies to `miss_ratio`, which this model does not declare" in html


def test_top_session_headers_lead_with_the_deciding_score(report_inputs, tmp_path):
    paths = report_inputs()
    rows = [
        dict(paths["rows"][0], session_id="calm", score=9.0, miss_ratio=0.1, max_surprise=3.0),
        dict(paths["rows"][1], session_id="spiky", score=2.1, miss_ratio=0.3, max_surprise=12.3),
    ]
    for row in rows:
        row.pop("is_anomaly")
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))
    _decide_on(paths, "max_surprise", 7.65)
    _, html = render(paths, tmp_path, scores=paths["scores"])
    summaries = re.findall(r"<summary>(.*?)</summary>", html)
    assert summaries == [
        "#1 session spiky: max_surprise 12.3 (threshold 7.65); score 2.1; miss_ratio 0.3; "
        "label normal; flagged",
        "#2 session calm: max_surprise 3 (threshold 7.65); score 9; miss_ratio 0.1; "
        "label normal; not flagged",
    ]


def test_top_sessions_scored_from_raw_logs_name_their_raw_lines(report_inputs, tmp_path):
    paths = report_inputs()
    rows = [dict(r) for r in paths["rows"]]
    for row in rows:
        row["top_events"] = [dict(e, source="today.log", line_no=4711) for e in row["top_events"]]
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert "raw line" in html and "today.log:4711" in html


def test_top_sessions_show_the_note_of_an_end_where_normal_sessions_went_on(
    report_inputs, tmp_path
):
    """LogBERT's `<end of session>` first, with its `note` (QA Mattermost, Harbor)."""
    paths = report_inputs()
    rows = [dict(r) for r in paths["rows"]]
    note = "no normal session ended here: 54 training sessions began with these keys and went on"
    for row in rows:
        row["top_events"] = [{"position": 3, "key": None, "template": "<end of session>",
                              "surprise": 0.5, "expected": [], "note": note}]  # fmt: skip
    paths["scores"].write_text("".join(json.dumps(r) + "\n" for r in rows))
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert f"<li>{note}</li>" in html


def test_the_headline_counts_flagged_sessions_and_notes_a_flag_rate_far_above_calibration(
    report_inputs, tmp_path
):
    """Scores of drifted logs: the page says how many were flagged, beside the share the
    threshold flags on its normal calibration scores, and gives `score`'s flag-rate note."""
    paths = report_inputs(labels=False)
    rows = paths["rows"]
    n, total = sum(r["is_anomaly"] for r in rows), len(rows)
    calibration = paths["model"] / "calibration_scores.npy"
    np.save(calibration, np.linspace(0.0, 1.0, 99))  # all below the threshold: 1 in 100
    result, html = render(paths, tmp_path, scores=paths["scores"])
    assert f">{n:,} of {total:,} ({n / total:.1%})<" in html
    assert ">flagged; the threshold flags about 1.00% normally<" in html
    assert (
        f"{n:,} of {total:,} sessions ({n / total:.1%}) were flagged, where the threshold "
        "should flag about 1.00% of normal sessions (an estimate from the 99 it was "
        "calibrated on): either these logs "
        "hold that many anomalies, or they differ from the training data"
    ) in html
    assert not any("were flagged" in w for w in result.warnings)  # the page's own
    np.save(calibration, np.linspace(0.0, 3.0, 99))  # the threshold flags half: plausible
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert f">{n:,} of {total:,} ({n / total:.1%})<" in html and "were flagged" not in html
    calibration.unlink()  # no calibration scores: the count alone
    _, html = render(paths, tmp_path, scores=paths["scores"])
    assert ">flagged<" in html and "were flagged" not in html

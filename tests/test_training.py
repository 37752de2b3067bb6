"""`python -m training`: validation errors name file and line and write nothing; a small real run."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from model.artifact import card_path, load_model
from training import corpora
from training.auxiliary import fit_vocabulary
from training.cli import SUBCOMMANDS, _load, build_parser, default_out, main, worse_than
from training.corpora import EXAMPLES_FILE, own_examples
from training.data import DataError, load_file, load_files
from training.fit import Settings, choose_threshold, fit_model, shift_prior

GOOD = "text,label,source\nDetox tea flushes toxins.,unsupported,web\nBy Jane Doe,neutral,web\n"


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "cols.csv",
            "sentence,label\nA claim.,unsupported\n",
            r"cols\.csv: line 1: missing column\(s\) text",
        ),
        ("label.csv", GOOD + "Garlic cures colds.,fake\n", r"label\.csv: line 4: unknown label 'fake'"),
        ("empty_text.csv", GOOD + '"  ",neutral,web\n', r"empty_text\.csv: line 4: empty text"),
        ("empty.csv", "", r"empty\.csv: line 1: the file is empty"),
        ("header_only.csv", "text,label\n", r"header_only\.csv: line 1: no data rows"),
        ("one_class.csv", "text,label\nA.,neutral\nB.,supported\n", r"one_class\.csv: lines 2-3: only label"),
        (
            "weight.csv",
            "text,label,weight\nA.,neutral,-1\n",
            r"weight\.csv: line 2: weight must be a positive",
        ),
        ("bad.jsonl", '{"text": "A.", "label": "neutral"}\n{oops\n', r"bad\.jsonl: line 2: not valid JSON"),
        ("nolabel.jsonl", '{"text": "A."}\n', r"nolabel\.jsonl: line 1: missing column\(s\) label"),
    ],
)
def test_bad_data_is_refused_naming_file_and_line_and_nothing_is_written(
    tmp_path, capsys, name, content, message
):
    path = write(tmp_path, name, content)
    with pytest.raises(DataError, match=message):
        load_files([path])
    out = tmp_path / "out" / "m.joblib"
    assert main(["--data", str(path), "--out", str(out), "--quiet", "--no-aux"]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_multiline_csv_rows_report_their_starting_line(tmp_path):
    path = write(tmp_path, "multi.csv", 'text,label\n"First\nline.",neutral\nSecond.,bogus\n')
    with pytest.raises(DataError, match="line 4: unknown label"):
        load_file(path)


def test_rows_sharing_a_doc_become_neighbours(tmp_path):
    path = write(tmp_path, "doc.csv", "text,label,doc\nA.,neutral,p1\nB.,supported,p1\nC.,neutral,p2\n")
    a, b, c = load_file(path)
    assert (b.before, b.after, a.after) == ("A.", "", "B.")
    assert (c.before, c.after) == ("", "")
    assert a.group == b.group != c.group


def test_jsonl_loads_with_weight_and_default_source(tmp_path):
    path = write(tmp_path, "d.jsonl", '{"text": "A.", "label": "Unsupported", "weight": 2}\n\n')
    (example,) = load_file(path)
    assert (example.label, example.weight, example.source) == ("unsupported", 2.0, "d")


def test_help_explains_every_flag():
    text = build_parser().format_help()
    for flag in ("--data", "--out", "--holdout", "--target-precision", "--no-aux", "--seed", "--quiet"):
        assert flag in text
    assert all(action.help for action in build_parser()._actions)


def test_holdout_fraction_out_of_range_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(EXAMPLES_FILE), "--out", str(tmp_path / "m.joblib"), "--holdout", "1"])
    assert exit_info.value.code == 2
    assert not (tmp_path / "m.joblib").exists()


def test_subcommands_are_dispatched_before_the_training_parser(monkeypatch):
    monkeypatch.setitem(SUBCOMMANDS, "hello", lambda argv: 7 + len(argv))
    assert main(["hello", "x"]) == 8


def test_threshold_reaches_the_target_precision_out_of_fold():
    y = np.array([1] * 12 + [0] * 40 + [1] * 8 + [0] * 40)
    probability = np.linspace(1.0, 0.0, len(y))
    choice = choose_threshold(probability, y, target=0.9, min_flags=10)
    flagged = probability >= choice["threshold"]
    assert y[flagged].mean() >= 0.9 and flagged.sum() >= 10
    fallback = choose_threshold(probability, y, target=0.99, min_flags=20)
    assert "not reachable" in fallback["rule"]


def test_clean_pages_bound_the_threshold_from_below():
    y = np.array([1] * 12 + [0] * 40 + [1] * 8 + [0] * 40)
    probability = np.linspace(1.0, 0.0, len(y))
    plain = choose_threshold(probability, y, target=0.5)
    clean = np.linspace(0.0, plain["threshold"] + 0.1, 100)  # ~10 clean sentences above the plain threshold
    bounded = choose_threshold(probability, y, target=0.5, clean=clean, max_clean=1.0)
    assert bounded["threshold"] > plain["threshold"]
    assert 100 * (clean >= bounded["threshold"]).mean() == bounded["oof_clean_flags_per_100"] <= 1.0
    assert "at most 1 flags per 100 sentences of 100 on clean pages" in bounded["rule"]
    unreachable = choose_threshold(probability, y, target=0.5, clean=np.ones(10), max_clean=1.0)
    assert "on clean pages: not reachable" in unreachable["rule"]
    assert unreachable["threshold"] == plain["threshold"]


def test_audit_pages_are_scored_out_of_fold_but_do_not_calibrate():
    examples = own_examples(tune=True)
    # Every third example becomes a sentence of a three-sentence audit page.
    audit = [
        replace(e, tune=False, audit=True, group=f"page{i // 9}")
        for i, e in enumerate(examples)
        if i % 3 == 0
    ]
    rest = [e for i, e in enumerate(examples) if i % 3]
    vocabulary = fit_vocabulary({}, [e.text for e in examples])
    _, summary = fit_model(rest + audit, vocabulary, Settings(folds=3))
    assert (summary["oof_examples"], summary["oof_audit_examples"]) == (len(rest), len(audit))
    assert "on clean pages" in summary["threshold_choice"]["rule"]


def test_base_rate_reweighting_raises_the_threshold_for_balanced_data():
    rng = np.random.default_rng(0)
    y = np.array([1] * 50 + [0] * 50)
    probability = np.clip(y * 0.3 + rng.random(100) * 0.7, 0, 1)
    plain = choose_threshold(probability, y, target=0.6)
    reweighted = choose_threshold(probability, y, target=0.6, base_rate=0.05)
    assert reweighted["threshold"] > plain["threshold"]
    assert "base rate of 0.05" in reweighted["rule"]


def test_shifting_the_prior_scales_every_probability_s_odds_by_the_ratio_of_the_rates():
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(400, 1))
    y = (scores[:, 0] + rng.normal(size=400)) > 1.2
    calibrator = LogisticRegression(C=100.0).fit(scores, y)
    before = calibrator.predict_proba(scores)[:, 1]
    shift_prior(calibrator, from_rate=0.2, to_rate=0.05)
    after = calibrator.predict_proba(scores)[:, 1]
    ratio = (after / (1 - after)) / (before / (1 - before))
    assert np.allclose(ratio, (0.05 / 0.95) / (0.2 / 0.8))
    assert np.array_equal(np.argsort(after), np.argsort(before)), "the ranking, and so AP, is unchanged"


@pytest.mark.shared
@pytest.mark.skipif(not corpora.shared_available(), reason="../shared/datasets not present")
def test_default_mix_judges_its_threshold_at_the_real_page_rate_unless_told_otherwise():
    quiet = lambda message: None  # noqa: E731
    default = build_parser().parse_args(["--out", "model.joblib"])
    assert _load(default, quiet)[3] == corpora.REAL_PAGE_BASE_RATE
    told = build_parser().parse_args(["--out", "model.joblib", "--base-rate", "0.2"])
    assert _load(told, quiet)[3] == 0.2


def test_threshold_flag_overrides_the_out_of_fold_choice(tmp_path):
    out = tmp_path / "fixed.joblib"
    args = ["--data", str(EXAMPLES_FILE), "--out", str(out), "--no-aux", "--quiet", "--threshold", "0.42"]
    assert main(args) == 0
    model, card = load_model(out)
    assert model.threshold == card["threshold"] == 0.42
    assert card["training"]["threshold_choice"]["rule"].startswith("fixed")


def test_end_to_end_training_on_the_shipped_examples(tmp_path, capsys):
    out = tmp_path / "model" / "tiny.joblib"
    code = main(["--data", str(EXAMPLES_FILE), "--out", str(out), "--no-aux", "--quiet", "--holdout", "0.25"])
    assert code == 0
    report = capsys.readouterr().out
    assert "average" in report.lower() or "AP" in report
    assert "confusion" in report and "per source" in report
    model, card = load_model(out)
    assert card["data"]["train"] and card["data"]["held_out"]
    assert card["metrics"]["held_out"]["per_label"]["unsupported"]["support"] > 0
    assert json.loads(card_path(out).read_text())["sha256"] == card["sha256"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["tiny.card.json", "tiny.joblib"]
    flagged = model.predict(["Detox juice flushes toxins and boosts the immune system."], threshold=0.5)
    assert flagged[0].probability > model.predict(["Sign up for our newsletter."])[0].probability


def test_one_correction_of_one_kind_trains_with_the_base_mix(tmp_path: Path) -> None:
    """The README's walk-through: a single exported correction plus --base is enough data."""
    feedback = tmp_path / "feedback.csv"
    feedback.write_text("text,label,source\nThis tea cures the flu.,unsupported,feedback\n", encoding="utf-8")
    args = build_parser().parse_args(["--base", "--data", str(feedback), "--out", str(tmp_path / "m.joblib")])
    train, _, _, _ = _load(args, lambda message: None)
    assert any(e.text == "This tea cures the flu." and e.group.startswith("added:") for e in train)
    with pytest.raises(DataError, match="only label"):
        _load(build_parser().parse_args(["--data", str(feedback), "--out", "m.joblib"]), lambda m: None)


def report(precision: float | None, flags_per_100: float, pages: int = 3) -> dict:
    return {"precision": precision, "clean_pages": {"pages": pages, "flags_per_100": flags_per_100}}


def test_a_retrain_that_flags_sound_pages_more_or_is_less_precise_is_worse() -> None:
    assert worse_than(report(0.70, 1.08), report(0.69, 1.2)) == []  # within the noise of a flag
    assert worse_than(report(0.70, 1.08), report(0.60, 1.08)) == ["precision at the threshold 0.7 -> 0.6"]
    assert worse_than(report(0.70, 1.08), report(0.70, 1.62)) == [
        "flags per 100 sentences of clean pages 1.08 -> 1.62"
    ]
    assert worse_than(report(0.70, 0.0), report(None, 0.0)) == ["precision at the threshold 0.7 -> None"]


def test_the_default_output_is_a_new_file_outside_the_source_tree() -> None:
    out = default_out()
    assert out.parent == corpora.REPO_ROOT / "var" / "models" and out.suffix == ".joblib"
    assert not out.exists()

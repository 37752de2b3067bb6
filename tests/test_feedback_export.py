"""Exporting reader corrections as training rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from server.feedback import FeedbackStore
from training.feedback_export import export_feedback, resolve


def correction(text: str, label: str, url: str = "https://e.org") -> dict:
    return {
        "url": url,
        "text": text,
        "label": label,
        "model_label": "neutral",
        "probability": 0.2,
        "model_version": "v",
    }


def test_majority_label_wins_and_ties_are_left_out() -> None:
    rows = [
        {"text": "A", "label": "unsupported", "count": 3},
        {"text": "A", "label": "neutral", "count": 1},
        {"text": "B", "label": "supported", "count": 2},
        {"text": "B", "label": "neutral", "count": 2},
    ]
    resolved, ties = resolve(rows)
    assert resolved == [{"text": "A", "label": "unsupported", "source": "feedback", "weight": 3}]
    assert ties == ["B"]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_writes_the_trainer_format(tmp_path: Path, suffix: str) -> None:
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.add(correction("Kale cures cancer.", "unsupported"))
    store.add(correction("Kale cures cancer.", "unsupported", url="https://other.org"))
    store.add(correction("The trial enrolled 380 patients.", "neutral"))
    out = tmp_path / f"feedback{suffix}"
    written, ties = export_feedback(store.path, out)
    assert (written, ties) == (2, [])
    if suffix == ".csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_text = {row["text"]: row for row in rows}
    assert by_text["Kale cures cancer."]["label"] == "unsupported"
    assert float(by_text["Kale cures cancer."]["weight"]) == 2


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no feedback database"):
        export_feedback(tmp_path / "absent.sqlite3", tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()

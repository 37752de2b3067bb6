"""Readers' corrections close the loop: feedback -> export -> retrain -> reload -> a changed answer.

Runs the real commands a user would (the production server, `python -m training export-feedback`,
`python -m training`), on a small model trained from the project's own examples.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from model.artifact import save_model
from tests.conftest import ROOT, start_server, stop_server
from tests.tiny_model import tiny_model

pytestmark = pytest.mark.e2e
EXAMPLES = ROOT / "training" / "examples" / "labelled.csv"
SENTENCE = "Our clinic's new lavender steam room opens on the second floor next to the pharmacy."


def call(url: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def label_of(url: str, sentence: str) -> str:
    claims = call(url, "/v1/score?all=1", {"text": sentence})["claims"]
    assert len(claims) == 1
    return claims[0]["label"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_a_correction_changes_the_served_answer(tmp_path: Path) -> None:
    model_path = tmp_path / "model.joblib"
    save_model(tiny_model(), model_path, {"data": {"description": "tiny test model"}})
    url, server = start_server(tmp_path, "--model-path", str(model_path))
    try:
        model_label = label_of(url, SENTENCE)
        reader_label = "neutral" if model_label == "unsupported" else "unsupported"
        version_before = call(url, "/v1/health")["model"]["version"]
        correction = {
            "url": "https://e.org",
            "text": SENTENCE,
            "label": reader_label,
            "model_label": model_label,
        }
        for _ in range(3):
            call(url, "/v1/feedback", correction)

        exported = tmp_path / "feedback.csv"
        db = tmp_path / "feedback.sqlite3"
        result = run("-m", "training", "export-feedback", "--db", str(db), "--out", str(exported))
        assert result.returncode == 0, result.stderr
        assert "wrote 1 labelled sentence" in result.stdout

        result = run(
            "-m", "training", "--data", str(EXAMPLES), "--data", str(exported), "--weight", "feedback=20",
            "--holdout", "0", "--threshold", "0.5", "--no-aux", "--out", str(model_path),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "changed label" in result.stdout  # the before/after comparison was printed

        reloaded = call(url, "/v1/model/reload", {})
        assert reloaded["model"]["version"] != version_before
        assert call(url, "/v1/model")["version"] == reloaded["model"]["version"]
        assert label_of(url, SENTENCE) == reader_label
    finally:
        stop_server(server)


def test_a_malformed_labels_file_leaves_the_model_untouched(tmp_path: Path) -> None:
    model_path = tmp_path / "model.joblib"
    save_model(tiny_model(), model_path, {"data": {"description": "tiny test model"}})
    before = model_path.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nKale cures cancer.,unsupported\nA fine day.,maybe\n", encoding="utf-8")
    result = run("-m", "training", "--data", str(bad), "--out", str(model_path))
    assert result.returncode == 2
    assert f"{bad}: line 3" in result.stderr and "unknown label" in result.stderr
    assert model_path.read_bytes() == before

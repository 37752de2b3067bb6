"""Model safety: what is checked before a pickle is trusted, and what a failed reload leaves behind."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import pytest
import sklearn
from flask import Flask

from model import artifact
from model.artifact import DEFAULT_MODEL_PATH, ModelError, card_path, load_model, sha256_of
from server.app import create_app
from server.config import Settings
from tests.conftest import ROOT, free_port

PAGE = "<p>Massage therapy boosts the immune system and flushes toxins from the body.</p>"


class _Payload:
    """A pickle that creates `marker` when unpickled: the stand-in for code hidden in a model file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (open, (str(self.marker), "w"))


def hostile_model(folder: Path, **card_fields: str) -> tuple[Path, Path]:
    """(model path, marker) for a pickle that runs code, with a card whose fields are given."""
    path, marker = folder / "hostile.joblib", folder / "pickle-ran"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    card = {
        "name": "hostile",
        "version": "1",
        "sha256": sha256_of(path),
        "sklearn_version": sklearn.__version__,
    }
    card_path(path).write_text(json.dumps({**card, **card_fields}), encoding="utf-8")
    return path, marker


def test_the_hostile_pickle_does_run_code_once_the_checks_pass(tmp_path: Path) -> None:
    """The control for the tests below: their marker would appear if the pickle were loaded."""
    path, marker = hostile_model(tmp_path)
    with pytest.raises(ModelError, match="not a ClaimModel"):
        load_model(path)
    assert marker.exists()


def test_tampered_model_is_refused_before_unpickling(tmp_path: Path) -> None:
    path, marker = hostile_model(tmp_path, sha256="0" * 64)
    with pytest.raises(ModelError, match=r"sha256 .* does not match"):
        load_model(path)
    assert not marker.exists()


def test_model_from_another_sklearn_version_is_refused_with_the_retrain_command(tmp_path: Path) -> None:
    path, marker = hostile_model(tmp_path, sklearn_version="0.24.2")
    with pytest.raises(ModelError) as refused:
        load_model(path)
    message = str(refused.value)
    assert "0.24.2" in message and sklearn.__version__ in message
    assert f"python -m training --out {path}" in message
    assert not marker.exists()


def test_model_without_a_card_is_refused_before_unpickling(tmp_path: Path) -> None:
    path, marker = hostile_model(tmp_path)
    card_path(path).unlink()
    with pytest.raises(ModelError, match="card not found"):
        load_model(path)
    assert not marker.exists()


def test_server_refuses_to_start_on_a_tampered_model(tmp_path: Path) -> None:
    path, marker = hostile_model(tmp_path, sha256="f" * 64)
    command = [sys.executable, "-m", "server", "--port", str(free_port()), "--model-path", str(path)]
    command += ["--feedback-db", str(tmp_path / "feedback.sqlite3")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert str(path) in done.stderr and "does not match" in done.stderr
    assert not marker.exists()


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """The shipped model and its card copied to a folder of the test's own."""
    path = tmp_path / "model" / "copy.joblib"
    path.parent.mkdir()
    shutil.copyfile(DEFAULT_MODEL_PATH, path)
    shutil.copyfile(card_path(DEFAULT_MODEL_PATH), card_path(path))
    return path


def app_on(model_path: Path, tmp_path: Path) -> Flask:
    return create_app(Settings(model_path=model_path, feedback_db=tmp_path / "fb.sqlite3", rate_limit=0))


def relabel_card(model_path: Path, version: str) -> None:
    card = json.loads(card_path(model_path).read_text(encoding="utf-8"))
    card_path(model_path).write_text(json.dumps({**card, "version": version}), encoding="utf-8")


def test_server_loads_only_the_configured_path(
    model_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    relabel_card(model_copy, "the-configured-copy")
    unpickled: list[Path] = []
    real_load = joblib.load
    monkeypatch.setattr(artifact.joblib, "load", lambda path: unpickled.append(Path(path)) or real_load(path))
    client = app_on(model_copy, tmp_path).test_client()
    assert client.get("/v1/health").get_json()["model"]["version"] == "the-configured-copy"
    assert client.post("/v1/model/reload").status_code == 200
    assert unpickled == [model_copy, model_copy]


def test_missing_configured_model_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        app_on(tmp_path / "absent.joblib", tmp_path)


def test_failed_reload_is_409_and_the_old_model_keeps_serving(model_copy: Path, tmp_path: Path) -> None:
    client = app_on(model_copy, tmp_path).test_client()
    before = client.get("/v1/health").get_json()["model"]
    model_copy.write_bytes(b"half-written garbage")
    response = client.post("/v1/model/reload")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "reload_failed"
    assert "does not match" in error["message"] and "still serving the previous model" in error["message"]
    assert client.get("/v1/health").get_json()["model"] == before
    assert client.post("/v1/score", json={"html": PAGE}).status_code == 200


def test_reload_picks_up_a_retrained_model(model_copy: Path, tmp_path: Path) -> None:
    client = app_on(model_copy, tmp_path).test_client()
    relabel_card(model_copy, "retrained")
    response = client.post("/v1/model/reload")
    assert response.status_code == 200
    assert response.get_json()["model"]["version"] == "retrained"
    assert client.get("/v1/model").get_json()["version"] == "retrained"

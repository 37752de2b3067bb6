"""save_model / load_model: atomic write, card contents, and every refusal as ModelError."""

from __future__ import annotations

import json

import joblib
import pytest
import sklearn

from model import artifact
from model.artifact import DEFAULT_MODEL_PATH, ModelError, card_path, load_model, save_model, sha256_of
from model.classifier import ClaimModel
from tests.tiny_model import tiny_model


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "m.joblib"
    card = save_model(tiny_model(), path, {"data": {"note": "test"}, "metrics": {"ap": 0.5}})
    return path, card


def test_card_path_sits_beside_the_model(tmp_path):
    assert card_path(tmp_path / "default.joblib") == tmp_path / "default.card.json"
    assert DEFAULT_MODEL_PATH.name == "default.joblib"


def test_save_writes_model_and_card_and_load_returns_both(saved):
    path, card = saved
    assert json.loads(card_path(path).read_text()) == card
    assert card["sha256"] == sha256_of(path)
    assert card["sklearn_version"] == sklearn.__version__
    assert card["threshold"] == tiny_model().threshold
    assert card["data"] == {"note": "test"} and card["metrics"] == {"ap": 0.5}
    assert card["created"].endswith("+00:00") and card["sha256"][:8] in card["version"]
    model, loaded_card = load_model(path)
    assert isinstance(model, ClaimModel) and loaded_card == card
    assert model.predict(["Detox tea flushes toxins."]) == tiny_model().predict(["Detox tea flushes toxins."])


def test_save_leaves_no_temporary_files(saved):
    path, _ = saved
    assert sorted(p.name for p in path.parent.iterdir()) == ["m.card.json", "m.joblib"]


def test_failed_save_keeps_the_previous_model_intact(saved, monkeypatch):
    path, card = saved

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(artifact.joblib, "dump", broken_dump)
    with pytest.raises(OSError):
        save_model(tiny_model(), path, {})
    assert sha256_of(path) == card["sha256"]
    assert json.loads(card_path(path).read_text()) == card
    assert sorted(p.name for p in path.parent.iterdir()) == ["m.card.json", "m.joblib"]


def test_hash_mismatch_is_refused_before_unpickling(saved, monkeypatch):
    path, _ = saved
    path.write_bytes(path.read_bytes() + b"tampered")
    monkeypatch.setattr(artifact.joblib, "load", lambda p: pytest.fail("unpickled a tampered file"))
    with pytest.raises(ModelError, match="sha256"):
        load_model(path)


def test_other_sklearn_version_is_refused_with_the_retrain_command(saved):
    path, card = saved
    card_path(path).write_text(json.dumps({**card, "sklearn_version": "0.24.2"}))
    with pytest.raises(ModelError, match=r"0\.24\.2.*python -m training --out"):
        load_model(path)


def test_missing_card_or_file_is_a_model_error(saved):
    path, _ = saved
    card_path(path).unlink()
    with pytest.raises(ModelError, match="card not found"):
        load_model(path)
    with pytest.raises(ModelError, match="card not found"):
        load_model(path.parent / "absent.joblib")


def test_missing_model_file_with_card_is_a_model_error(saved):
    path, _ = saved
    path.unlink()
    with pytest.raises(ModelError, match="model file not found"):
        load_model(path)


def test_damaged_card_is_a_model_error(saved):
    path, _ = saved
    card_path(path).write_text("{not json")
    with pytest.raises(ModelError, match="cannot read model card"):
        load_model(path)


def test_a_pickle_that_is_not_a_claim_model_is_refused(saved):
    path, card = saved
    joblib.dump({"not": "a model"}, path)
    card_path(path).write_text(json.dumps({**card, "sha256": sha256_of(path)}))
    with pytest.raises(ModelError, match="not a ClaimModel"):
        load_model(path)

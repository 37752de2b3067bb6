"""Save and load the model artifact: a joblib pickle plus a JSON card written beside it.

A pickle runs code when loaded, so the card is read first and the file's sha256 checked against
it before unpickling; a model pickled by another scikit-learn version is refused rather than
trusted to behave the same. Both files are written to temporary names and moved into place, so a
reader never sees a half-written model or a model without its card.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

import joblib
import sklearn

from model.classifier import ClaimModel

MODEL_DIR = Path(__file__).resolve().parent
DEFAULT_MODEL_PATH = MODEL_DIR / "default.joblib"
MODEL_NAME = "claim-credibility"


class ModelError(Exception):
    """The model file or its card is missing, damaged, or not usable with this installation."""


def card_path(model_path: Path) -> Path:
    """The card sits beside the model: `default.joblib` -> `default.card.json`."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".card.json")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_model(model: ClaimModel, path: Path, card: dict) -> dict:
    """Write model and card atomically; returns the full card (hash, versions, date added)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model_tmp = _temp_beside(path)
    card_tmp = _temp_beside(card_path(path))
    try:
        joblib.dump(model, model_tmp, compress=3)
        model_tmp.chmod(0o644)
        digest = sha256_of(model_tmp)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        full = {
            "name": MODEL_NAME,
            "version": f"{now:%Y.%m.%d}-{digest[:8]}",
            "created": now.isoformat(),
            **card,
            "threshold": model.threshold,
            "sha256": digest,
            "sklearn_version": sklearn.__version__,
            "file": path.name,
            "size_bytes": model_tmp.stat().st_size,
        }
        card_tmp.write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
        card_tmp.chmod(0o644)
        os.replace(model_tmp, path)
        os.replace(card_tmp, card_path(path))
    finally:
        for leftover in (model_tmp, card_tmp):
            leftover.unlink(missing_ok=True)
    return full


def _temp_beside(path: Path) -> Path:
    """A fresh temporary file in the target's directory, so os.replace stays on one filesystem."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def load_model(path: Path) -> tuple[ClaimModel, dict]:
    """Read the card, verify hash and scikit-learn version, then unpickle; ModelError on any problem."""
    path = Path(path)
    card = read_card(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    if sha256_of(path) != card.get("sha256"):
        raise ModelError(
            f"sha256 of {path} does not match its card {card_path(path)}; "
            "the file was changed or replaced, refusing to load it"
        )
    trained_with = card.get("sklearn_version")
    if trained_with != sklearn.__version__:
        raise ModelError(
            f"{path} was trained with scikit-learn {trained_with}, but {sklearn.__version__} is "
            f"installed; retrain it with: python -m training --out {path}"
        )
    try:
        model = joblib.load(path)
    except Exception as exc:
        raise ModelError(f"cannot unpickle {path}: {exc}") from exc
    if not isinstance(model, ClaimModel):
        raise ModelError(f"{path} holds a {type(model).__name__}, not a ClaimModel")
    return model, card


def read_card(path: Path) -> dict:
    """The card of a model file, parsed; ModelError if absent or not a JSON object."""
    where = card_path(Path(path))
    try:
        card = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"model card not found: {where} (expected beside {path})") from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model card {where}: {exc}") from exc
    if not isinstance(card, dict):
        raise ModelError(f"model card {where} is not a JSON object")
    return card

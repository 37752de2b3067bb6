"""Page score and verdict bands."""

from __future__ import annotations

from model.types import Prediction
from model.verdict import page_verdict


def preds(*labels: str) -> list[Prediction]:
    return [Prediction(label, 0.9 if label == "unsupported" else 0.1) for label in labels]


def test_no_flags_is_credible_with_full_score() -> None:
    v = page_verdict(preds("neutral", "supported", "neutral"))
    assert (v.verdict, v.score, v.sentences, v.unsupported, v.supported) == ("credible", 1.0, 3, 0, 1)


def test_empty_page_is_credible() -> None:
    assert page_verdict([]).verdict == "credible"


def test_one_flag_among_many_claims_is_mixed() -> None:
    v = page_verdict(preds("unsupported", *["supported"] * 9))
    assert (v.verdict, v.score) == ("mixed", 0.9)


def test_many_flags_is_unsupported_claims_and_neutral_does_not_dilute() -> None:
    v = page_verdict(preds("unsupported", "unsupported", "supported", *["neutral"] * 50))
    assert v.verdict == "unsupported-claims"
    assert v.score == round(1 - 2 / 3, 3)

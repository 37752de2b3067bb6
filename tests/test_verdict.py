"""Page score and verdict bands."""

from __future__ import annotations

from model.types import Prediction
from model.verdict import page_verdict


def preds(*labels: str) -> list[Prediction]:
    return [Prediction(label, 0.9 if label == "unsupported" else 0.1) for label in labels]


def test_no_flags_is_none_found_with_full_score() -> None:
    v = page_verdict(preds("neutral", "supported", "neutral"))
    assert (v.verdict, v.score, v.sentences, v.unsupported, v.supported) == ("none-found", 1.0, 3, 0, 1)


def test_empty_page_is_none_found() -> None:
    assert page_verdict([]).verdict == "none-found"


def test_one_flag_among_many_claims_is_mixed() -> None:
    v = page_verdict(preds("unsupported", *["supported"] * 9))
    assert (v.verdict, v.score) == ("mixed", 0.9)


def test_many_flags_is_unsupported_claims_and_neutral_does_not_dilute() -> None:
    v = page_verdict(preds("unsupported", "unsupported", "supported", *["neutral"] * 50))
    assert v.verdict == "unsupported-claims"
    assert v.score == round(1 - 2 / 3, 3)


def test_one_flag_is_mixed_even_when_it_is_a_quarter_of_the_claims() -> None:
    """Pins the floor: a single flag never makes a page "unsupported-claims", two can."""
    assert page_verdict(preds("unsupported", "supported")).verdict == "mixed"
    assert (
        page_verdict(preds("unsupported", "unsupported", *["supported"] * 6)).verdict == "unsupported-claims"
    )
    assert page_verdict(preds("unsupported", "unsupported", *["supported"] * 7)).verdict == "mixed"

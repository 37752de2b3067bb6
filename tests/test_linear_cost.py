"""Structural guards for the speed work: one parse per page, one classifier batch per page, and a
cost that grows linearly with the page. Nothing here is timed (timings belong in bench/): work is
counted as Python and C function calls, which a machine's speed or load cannot change.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import bs4
import pytest

from model.scoring import Scorer
from model.types import Prediction

_SENTENCES = (
    "Massage therapy has been shown to boost the immune system in several small studies.",
    "The U.S. Food and Drug Administration said the product was not approved for that use.",
    "In a randomized trial of 380 patients, pain improved more with massage than with touch.",
    "Dr. Smith, who led the work, cautioned that the results need confirming (Smith et al., 2019).",
    "Drinking lemon water every morning flushes toxins and cures most chronic diseases!",
)
# Doubling a page twice: the second doubling adds about twice the calls the first one added when
# the cost is linear (fixed costs cancel out), four times when it is quadratic.
_MAX_INCREMENT_RATIO = 2.5


class CountingClassifier:
    """Stands in for the model: labels everything neutral and records each batch it is given."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def predict(self, sentences: Sequence[str], threshold: float | None = None) -> list[Prediction]:
        self.batches.append(len(sentences))
        return [Prediction("neutral", 0.1) for _ in sentences]


def article(paragraphs: int) -> str:
    body = "".join(f"<p>{' '.join(_SENTENCES[i % 5 :] + _SENTENCES[: i % 5])}</p>" for i in range(paragraphs))
    nav = "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(10))
    return f"<html><head><title>T</title><script>var x=1;</script></head><body><nav><ul>{nav}</ul></nav><article>{body}</article></body></html>"  # noqa: E501


def one_long_paragraph(sentences: int) -> str:
    return f"<html><body><article><p>{' '.join(_SENTENCES[i % 5] for i in range(sentences))}</p></article></body></html>"  # noqa: E501


def deep_nesting(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + " ".join(_SENTENCES) + "</div>" * depth + "</body></html>"


def calls_to_score(html: str) -> int:
    """Function calls (Python and C) made while scoring one page with the counting classifier."""
    scorer = Scorer(CountingClassifier(), {"name": "counting"})
    count = 0

    def tally(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(tally)
    try:
        scorer.score_html(html)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize(
    ("shape", "size"),
    [(article, 60), (one_long_paragraph, 200), (deep_nesting, 1000)],
    ids=["many-paragraphs", "one-long-paragraph", "deep-nesting"],
)
def test_work_grows_linearly_with_page_size(shape: Callable[[int], str], size: int) -> None:
    one, two, four = (calls_to_score(shape(size * k)) for k in (1, 2, 4))
    ratio = (four - two) / (two - one)
    assert ratio <= _MAX_INCREMENT_RATIO, f"the second doubling added {ratio:.2f}x the calls of the first"


def test_a_page_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parses = 0
    original = bs4.BeautifulSoup.__init__

    def counting_init(self: bs4.BeautifulSoup, *args: object, **kwargs: object) -> None:
        nonlocal parses
        parses += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(bs4.BeautifulSoup, "__init__", counting_init)
    Scorer(CountingClassifier(), {}).score_html(article(20))
    assert parses <= 1


def test_a_page_is_classified_in_one_batch() -> None:
    classifier = CountingClassifier()
    report = Scorer(classifier, {}).score_html(article(20), include_all=True)
    assert classifier.batches == [len(report["claims"])]
    assert classifier.batches[0] >= 20 * len(_SENTENCES)

"""One scoring request end to end: HTML or text -> blocks -> sentences -> predictions -> report.

The same function serves the HTTP API, the `python -m model score` command and Python callers,
so the three can never disagree. Every stage is timed because callers (and the speed
benchmark) want to know where the milliseconds go.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

from model.extract import extract_page
from model.language import detect_language
from model.sentences import split_blocks
from model.types import Block, Page, Prediction, Sentence
from model.verdict import page_verdict

_SPACE = re.compile(r"\s+")


class Classifier(Protocol):
    def predict(self, sentences: Sequence[str], threshold: float | None = None) -> list[Prediction]: ...


class UnsupportedLanguage(ValueError):
    """The page is not in a language the model was trained on; its sentences are not scored."""

    def __init__(self, language: str) -> None:
        super().__init__("the page text does not look like English, the only language the model scores")
        self.language = language


def text_page(text: str) -> Page:
    """A plain-text document as a page: one block per non-empty line."""
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return Page(title="", blocks=[Block(line) for line in lines if line])


class Scorer:
    """A loaded model plus its card, ready to score pages."""

    def __init__(self, model: Classifier, card: dict[str, Any]) -> None:
        self.model = model
        self.card = card
        self.identity = {key: card.get(key, "") for key in ("name", "version", "sha256")}

    def score_html(self, html: str, **options: Any) -> dict[str, Any]:
        started = time.perf_counter()
        page = extract_page(html)
        return self._report(page, started, time.perf_counter() - started, **options)

    def score_text(self, text: str, **options: Any) -> dict[str, Any]:
        started = time.perf_counter()
        page = text_page(text)
        return self._report(page, started, time.perf_counter() - started, **options)

    def _report(
        self,
        page: Page,
        started: float,
        extract_s: float,
        url: str | None = None,
        threshold: float | None = None,
        include_all: bool = False,
    ) -> dict[str, Any]:
        language = detect_language(page.text)
        if language == "other":
            raise UnsupportedLanguage(language)
        sentences = split_blocks(page.blocks)
        split_done = time.perf_counter()
        predictions = self.model.predict([s.text for s in sentences], threshold=threshold)
        classify_s = time.perf_counter() - split_done
        verdict = page_verdict(predictions)
        claims = [
            _claim(sentence, prediction)
            for sentence, prediction in zip(sentences, predictions, strict=True)
            if include_all or prediction.label == "unsupported"
        ]
        page_info = {"url": url or "", "title": page.title, "language": language, **asdict(verdict)}
        timing = {"extract": extract_s, "split": split_done - started - extract_s, "classify": classify_s}
        timing["total"] = time.perf_counter() - started
        return {
            "model": self.identity,
            "page": page_info,
            "claims": claims,
            "timing_ms": {stage: round(seconds * 1000, 2) for stage, seconds in timing.items()},
        }


def _claim(sentence: Sentence, prediction: Prediction) -> dict[str, Any]:
    claim = {
        "text": sentence.text,
        "label": prediction.label,
        "probability": round(prediction.probability, 4),
        "block": sentence.block,
        "start": sentence.start,
        "end": sentence.end,
        "reasons": list(prediction.reasons),
    }
    if prediction.match is not None:
        claim["match"] = prediction.match
    return claim

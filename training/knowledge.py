"""Build the refuted-claim stage (`model.knowledge.KnownClaims`) from myth lists and claim sets.

Refuted claims come from the project's myth list (`training/examples/health_myths.csv`: a myth as
readers meet it, a true statement of the same topic and shape, the consensus and the public health
page that states it) and any `--claims` files. The shared fact-checking sets' refuted claims are
left out: mixed in, their style shortcuts blurred the head (held-out myths against true
statements: AUC 0.894 with them, 0.936 without; see MODEL_CARD.md).
The true statements are the head's hard negatives: without them it would learn topics ("vaccine",
"autism") instead of which claims about them are false. Only the project's own myths enter the
index a reader is shown.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from model.features import SentenceInContext
from model.knowledge import KnownClaim, KnownClaims
from training.data import DataError

MYTHS_FILE = Path(__file__).resolve().parent / "examples" / "health_myths.csv"
HELD_OUT_FOLDS = 5
MYTH_COLUMNS = ("topic", "myth", "true_statement", "consensus", "authority")


@dataclass(frozen=True)
class Myth:
    """One row of a myth list: the false claim, a true statement beside it, and the record shown."""

    known: KnownClaim
    true_statement: str


def load_myths(path: Path = MYTHS_FILE) -> list[Myth]:
    """Rows of a myth list; a DataError names the file and line of the first bad row."""
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("myth", "consensus") if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{path}: line 1: missing column(s) {', '.join(missing)} (need {MYTH_COLUMNS})")
        myths = []
        for line, row in enumerate(reader, start=2):
            claim = " ".join((row.get("myth") or "").split())
            if not claim:
                raise DataError(f"{path}: line {line}: empty myth")
            known = KnownClaim(
                claim=claim,
                consensus=" ".join((row.get("consensus") or "").split()),
                source=" ".join((row.get("authority") or "").split()),
                topic=(row.get("topic") or "").strip(),
            )
            myths.append(Myth(known, " ".join((row.get("true_statement") or "").split())))
    if not myths:
        raise DataError(f"{path}: no data rows")
    return myths


@dataclass(frozen=True)
class ClaimRows:
    """Labelled claims for the head: (text, refuted?, weight)."""

    texts: list[str]
    refuted: list[bool]
    weights: list[float]

    def add(self, text: str, refuted: bool, weight: float) -> None:
        self.texts.append(text)
        self.refuted.append(refuted)
        self.weights.append(weight)


def head_rows(myths: Sequence[Myth], own: Sequence[tuple[str, str]]) -> ClaimRows:
    """Myths against true statements, and the project's labelled sentences (`own`), whose
    `neutral` ones (not claims at all) keep the head low on ordinary page text."""
    rows = ClaimRows([], [], [])
    for myth in myths:
        rows.add(myth.known.claim, True, 1.0)
        if myth.true_statement:
            rows.add(myth.true_statement, False, 1.0)
    for text, label in own:
        rows.add(text, label == "unsupported", 1.0)
    return rows


def fit_knowledge(
    vectorizer: TfidfVectorizer, myths: Sequence[Myth], rows: ClaimRows, folds: int = HELD_OUT_FOLDS
) -> KnownClaims:
    """The stage, with held-out scores for each myth and true statement from `folds` refits of the
    head that leave it and its pair out. The index keeps every text: the nearest-myth scores
    already pass over a sentence's own text, and a true statement is judged next to its myth."""
    stage = _fit(vectorizer, myths, rows)
    order = list(range(len(myths)))
    random.Random(0).shuffle(order)
    for k in range(folds if len(myths) >= folds > 1 else 0):
        left = {
            text for i in order[k::folds] for text in (myths[i].known.claim, myths[i].true_statement) if text
        }
        keep = [i for i, text in enumerate(rows.texts) if text not in left]
        sub = ClaimRows(*([column[i] for i in keep] for column in (rows.texts, rows.refuted, rows.weights)))
        texts = sorted(left)
        scores = _fit(vectorizer, myths, sub).scores(
            vectorizer.transform([SentenceInContext(t) for t in texts])
        )
        stage.held_out_scores.update(zip(texts, scores, strict=True))
    return stage


def _fit(vectorizer: TfidfVectorizer, myths: Sequence[Myth], rows: ClaimRows, C: float = 1.0) -> KnownClaims:
    """The head on the page model's vocabulary, and the index of the myths' and true statements'
    TF-IDF rows."""
    matrix = vectorizer.transform([SentenceInContext(t) for t in rows.texts])
    head = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    head.fit(matrix, rows.refuted, sample_weight=rows.weights)
    index = vectorizer.transform([SentenceInContext(m.known.claim) for m in myths])
    truths = vectorizer.transform([SentenceInContext(m.true_statement) for m in myths if m.true_statement])
    return KnownClaims(head, [m.known for m in myths], index, truths, vectorizer.vocabulary_)

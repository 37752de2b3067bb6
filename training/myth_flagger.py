"""Fit the myth flagger: known false claims against true statements and real page sentences.

The page flagger learns from labelled pages, where known myths are rare, so it cannot weigh the
refuted-claim stage as a myth deserves without also flagging the health news whose wording the
stage half-recognises (measured: trained on the myth list as well, it flagged 83 of 100 test myths
but its dev-holdout AP fell from 0.39 to 0.30). A second linear model on the same features learns
the myths instead: myths against their true statements (hard negatives) and every other training
sentence that is not `unsupported` (labelled pages, background, off-topic advice and hype).
Its cut is chosen held out, bounded by both kinds of false alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from model.features import SentenceInContext
from training.data import Example, clean_page_sentences
from training.knowledge import Myth

# At most this share of held-out true statements, and these flags per 100 sentences of labelled
# pages with nothing unsupported, may the myth flagger add.
MAX_TRUTHS_FLAGGED = 0.04
MAX_CLEAN_FLAGS = 0.25
FOLDS = 5
# Advice and hype about money, gadgets and games has a myth's shape ("wipes out", "protects you")
# and is rare among the negatives: weighed up, it teaches that the shape is not enough.
OFF_TOPIC_WEIGHT = 5.0


@dataclass(frozen=True)
class MythFlagger:
    model: LogisticRegression
    cut: float
    summary: dict


@dataclass
class _Rows:
    items: list[SentenceInContext]
    is_myth: list[bool]
    groups: list[str]
    kind: list[str]  # "myth", "truth", "clean" (a sentence of a page with nothing unsupported), "page"
    weights: list[float]


def _rows(myths: Sequence[Myth], pages: Sequence[Example]) -> _Rows:
    """A myth and its true statement are one group, a page another; `unsupported` page sentences
    are left out (exaggerations are neither known myths nor sound)."""
    rows = _Rows([], [], [], [], [])
    for k, myth in enumerate(myths):
        for text, is_myth in ((myth.known.claim, True), (myth.true_statement, False)):
            if text:
                rows.items.append(SentenceInContext(text))
                rows.is_myth.append(is_myth)
                rows.groups.append(f"myth:{k}")
                rows.kind.append("myth" if is_myth else "truth")
                rows.weights.append(1.0)
    for e, clean in zip(pages, clean_page_sentences(pages), strict=True):
        if e.label != "unsupported":
            rows.items.append(SentenceInContext(e.text, e.before, e.after))
            rows.is_myth.append(False)
            rows.groups.append(e.group)
            rows.kind.append("clean" if clean else "page")
            # Advice and hype about money, gadgets and games has a myth's shape and is rare here.
            rows.weights.append(e.weight * (OFF_TOPIC_WEIGHT if e.source == "off_topic" else 1.0))
    return rows


def _learner() -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")


def fit_myth_flagger(
    pipeline: Pipeline,
    myths: Sequence[Myth],
    pages: Sequence[Example],
    progress: Callable[[str], None] = lambda message: None,
) -> MythFlagger:
    """The myth flagger on `pipeline`'s features (the stage scoring its own texts held out)."""
    rows = _rows(myths, pages)
    matrix = pipeline[:-1].transform(rows.items)
    y = np.array(rows.is_myth)
    weights = np.array(rows.weights)
    held_out = np.zeros(len(y))
    folds = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    for k, (train, test) in enumerate(folds.split(matrix, y, rows.groups), start=1):
        progress(f"  myth flagger fold {k}/{FOLDS}")
        fitted = _learner().fit(matrix[train], y[train], sample_weight=weights[train])
        held_out[test] = fitted.predict_proba(matrix[test])[:, 1]
    kind = np.array(rows.kind)
    is_truth, clean = kind == "truth", kind == "clean"
    cut = float(
        max(
            np.quantile(held_out[is_truth], 1 - MAX_TRUTHS_FLAGGED),
            np.quantile(held_out[clean], 1 - MAX_CLEAN_FLAGS / 100) if clean.any() else 0.0,
        )
    )
    cut = float(np.nextafter(cut, 1.0))
    summary = {
        "cut": round(cut, 4),
        "rule": f"lowest cut flagging at most {MAX_TRUTHS_FLAGGED:.0%} of the held-out true statements and "
        f"{MAX_CLEAN_FLAGS:g} of every 100 sentences of labelled clean pages",
        "held_out_myths_flagged": round(float((held_out[y] >= cut).mean()), 4),
        "held_out_truths_flagged": round(float((held_out[is_truth] >= cut).mean()), 4),
        "held_out_clean_flags_per_100": round(float(100 * (held_out[clean] >= cut).mean()), 3),
        "rows": {
            "myths": int(y.sum()),
            "true_statements": int(is_truth.sum()),
            "page_sentences": int((~y & ~is_truth).sum()),
        },
    }
    progress(f"myth flagger cut {summary['cut']}: {summary}")
    return MythFlagger(_learner().fit(matrix, y, sample_weight=weights), cut, summary)

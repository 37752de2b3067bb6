"""Fit a ClaimModel: out-of-fold scores by page, Platt calibration, threshold, final refit.

Calibration and the threshold come from out-of-fold scores of the `tune` examples only (real page
sentences when available), grouped by page so that a page's sentences never score each other.
Examples that are not for tuning (own examples, background) are in every training fold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline

from model.classifier import ClaimModel
from model.features import SentenceInContext, TextFeatures, feature_union
from training.data import Example


@dataclass(frozen=True)
class Settings:
    """Hyperparameters, chosen by grouped cross-validation on dev-train pages (see MODEL_CARD.md)."""

    C: float = 0.5
    word_weight: float = 0.6
    folds: int = 5
    target_precision: float = 0.6
    min_flags: int = 10
    base_rate: float | None = None
    threshold: float | None = None
    seed: int = 0


def items_of(examples: Sequence[Example]) -> list[SentenceInContext]:
    return [SentenceInContext(e.text, e.before, e.after) for e in examples]


def build_pipeline(text: TextFeatures, settings: Settings) -> Pipeline:
    flagger = LogisticRegression(C=settings.C, max_iter=3000, class_weight="balanced")
    return Pipeline([("features", feature_union(text)), ("flag", flagger)])


def _fit(pipeline: Pipeline, examples: Sequence[Example]) -> Pipeline:
    y = np.array([e.label == "unsupported" for e in examples])
    weights = np.array([e.weight for e in examples])
    return pipeline.fit(items_of(examples), y, flag__sample_weight=weights)


def out_of_fold_scores(
    examples: Sequence[Example], text: TextFeatures, settings: Settings, progress: Callable[[str], None]
) -> tuple[np.ndarray, np.ndarray]:
    """(indices of tune examples, their out-of-fold flag scores)."""
    tune = np.array([i for i, e in enumerate(examples) if e.tune])
    fixed = [e for e in examples if not e.tune]
    y = np.array([examples[i].label == "unsupported" for i in tune])
    groups = np.array([examples[i].group for i in tune])
    splits = max(2, min(settings.folds, int(y.sum()), len(set(groups))))
    folds = StratifiedGroupKFold(n_splits=splits, shuffle=True, random_state=settings.seed)
    scores = np.zeros(len(tune))
    for k, (train, test) in enumerate(folds.split(tune, y, groups), start=1):
        progress(f"  fold {k}/{splits}: fitting on {len(train) + len(fixed)} examples")
        fitted = _fit(build_pipeline(text, settings), fixed + [examples[tune[i]] for i in train])
        scores[test] = fitted.decision_function(items_of([examples[tune[i]] for i in test]))
    return tune, scores


def choose_threshold(
    probability: np.ndarray, y: np.ndarray, target: float, min_flags: int = 10, base_rate: float | None = None
) -> dict:
    """Lowest threshold whose out-of-fold precision reaches `target` over at least `min_flags` flags.

    Precision first: when the target is out of reach, the most precise threshold that still flags
    `min_flags` sentences. The floor keeps the choice from resting on a handful of top scores.
    `base_rate` re-weights precision to the unsupported rate expected on real pages, for tuning
    data whose own rate is far from it (such as the balanced own examples).
    """
    precision, recall, thresholds = precision_recall_curve(y, probability)
    precision, recall = precision[:-1], recall[:-1]
    flagged = np.array([(probability >= t).sum() for t in thresholds])
    if base_rate is not None:
        negatives = max(int((~y.astype(bool)).sum()), 1)
        false_rate = (flagged - recall * y.sum()) / negatives
        precision = recall * base_rate / np.maximum(recall * base_rate + false_rate * (1 - base_rate), 1e-12)
    enough = flagged >= min(min_flags, len(y))
    ok = np.flatnonzero((precision >= target) & enough)
    if len(ok):
        k = ok[0]
        rule = f"lowest threshold with out-of-fold precision >= {target} over >= {min_flags} flags"
    else:
        k = int(np.flatnonzero(enough)[np.argmax(precision[enough])])
        rule = (
            f"precision {target} not reachable out of fold: most precise threshold with >= {min_flags} flags"
        )
    if base_rate is not None:
        rule += f" (precision re-weighted to a base rate of {base_rate})"
    return {
        "threshold": round(float(thresholds[k]), 4),
        "rule": rule,
        "oof_precision": round(float(precision[k]), 4),
        "oof_recall": round(float(recall[k]), 4),
    }


def fit_stance(pipeline: Pipeline, examples: Sequence[Example]):
    """Supported vs neutral on the shared features, for sentences that are not flagged."""
    rows = [e for e in examples if e.label != "unsupported" and not e.weak]
    matrix = pipeline[:-1].transform(items_of(rows))
    labels = [e.label for e in rows]
    model = (
        LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
        if len(set(labels)) > 1
        else DummyClassifier()
    )
    return model.fit(matrix, labels, sample_weight=[e.weight for e in rows])


def fit_model(
    examples: Sequence[Example],
    vocabulary: tuple[TfidfVectorizer, dict],
    settings: Settings = Settings(),
    progress: Callable[[str], None] = lambda message: None,
) -> tuple[ClaimModel, dict]:
    """The fitted model and a summary of how its calibration and threshold were chosen.

    `vocabulary` is the fitted vectoriser and auxiliary heads of `training.auxiliary`.
    """
    text = TextFeatures(*vocabulary, word_weight=settings.word_weight)
    progress("cross-validating by page for calibration and threshold")
    tune, scores = out_of_fold_scores(examples, text, settings, progress)
    y = np.array([examples[i].label == "unsupported" for i in tune])
    calibrator = LogisticRegression(C=100.0).fit(scores.reshape(-1, 1), y)
    probability = calibrator.predict_proba(scores.reshape(-1, 1))[:, 1]
    choice = choose_threshold(
        probability, y, settings.target_precision, settings.min_flags, settings.base_rate
    )
    if settings.threshold is not None:
        choice = {**choice, "threshold": settings.threshold, "rule": "fixed, not chosen out of fold"}
    progress(f"threshold {choice['threshold']} ({choice['rule']})")
    progress(f"fitting the final model on {len(examples)} examples")
    pipeline = _fit(build_pipeline(text, settings), examples)
    model = ClaimModel(pipeline, calibrator, fit_stance(pipeline, examples), choice["threshold"])
    summary = {
        "settings": asdict(settings),
        "threshold_choice": choice,
        "oof_average_precision": round(float(average_precision_score(y, probability)), 4),
        "oof_examples": len(tune),
    }
    return model, summary

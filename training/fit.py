"""Fit a ClaimModel: out-of-fold scores by page, Platt calibration, threshold, final refit.

Calibration and the threshold come from out-of-fold scores of the `tune` examples (real page
sentences when available), grouped by page so that a page's sentences never score each other.
`audit` pages are held out by the same folds, and their clean pages (no unsupported sentence)
bound the threshold from below: false alarms on reputable pages cost readers' trust most.
Other examples (own examples, background) are in every training fold. With a `base_rate`, both
the probabilities and the threshold's precision are those of pages with that rate of unsupported
sentences, not the tuning pages' own rate.
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
from training.data import Example, clean_page_sentences
from training.knowledge import Myth
from training.myth_flagger import fit_myth_flagger


@dataclass(frozen=True)
class Settings:
    """Hyperparameters, chosen by grouped cross-validation on dev-train pages (see MODEL_CARD.md; C was
    re-chosen when the 240 labelled articles multiplied the page data)."""

    C: float = 2.0
    word_weight: float = 0.6
    folds: int = 5
    target_precision: float = 0.6
    min_flags: int = 10
    max_clean_flags: float = 1.0
    base_rate: float | None = None
    threshold: float | None = None
    seed: int = 0


def items_of(examples: Sequence[Example]) -> list[SentenceInContext]:
    return [SentenceInContext(e.text, e.before, e.after) for e in examples]


def flagger(settings: Settings) -> LogisticRegression:
    """The unfitted unsupported-vs-rest classifier that ends the pipeline."""
    return LogisticRegression(C=settings.C, max_iter=3000, class_weight="balanced")


def build_pipeline(text: TextFeatures, settings: Settings) -> Pipeline:
    return Pipeline([("features", feature_union(text)), ("flag", flagger(settings))])


def _fit(pipeline: Pipeline, examples: Sequence[Example]) -> Pipeline:
    y = np.array([e.label == "unsupported" for e in examples])
    weights = np.array([e.weight for e in examples])
    return pipeline.fit(items_of(examples), y, flag__sample_weight=weights)


def out_of_fold_scores(
    examples: Sequence[Example], text: TextFeatures, settings: Settings, progress: Callable[[str], None]
) -> tuple[np.ndarray, np.ndarray]:
    """(indices of the tune and audit examples, their out-of-fold flag scores)."""
    held = np.array([i for i, e in enumerate(examples) if e.tune or e.audit])
    fixed = [e for e in examples if not (e.tune or e.audit)]
    y = np.array([examples[i].label == "unsupported" for i in held])
    groups = np.array([examples[i].group for i in held])
    splits = max(2, min(settings.folds, int(y.sum()), len(set(groups))))
    folds = StratifiedGroupKFold(n_splits=splits, shuffle=True, random_state=settings.seed)
    scores = np.zeros(len(held))
    for k, (train, test) in enumerate(folds.split(held, y, groups), start=1):
        progress(f"  fold {k}/{splits}: fitting on {len(train) + len(fixed)} examples")
        fitted = _fit(build_pipeline(text, settings), fixed + [examples[held[i]] for i in train])
        scores[test] = fitted.decision_function(items_of([examples[held[i]] for i in test]))
    return held, scores


def shift_prior(calibrator: LogisticRegression, from_rate: float, to_rate: float) -> None:
    """Make a fitted Platt calibrator give probabilities for data with another positive rate.

    Bayes: a score's likelihood ratio stays, only the prior odds change, so the log of their ratio
    moves the intercept. Without it a probability fitted on tuning pages with twice the real pages'
    rate of unsupported sentences would overstate every flag shown to a reader.
    """
    calibrator.intercept_ = calibrator.intercept_ + np.log(_odds(to_rate) / _odds(from_rate))


def _odds(rate: float) -> float:
    return rate / (1.0 - rate)


def choose_threshold(
    probability: np.ndarray,
    y: np.ndarray,
    target: float,
    min_flags: int = 10,
    base_rate: float | None = None,
    clean: np.ndarray | None = None,
    max_clean: float = float("inf"),
) -> dict:
    """Lowest threshold whose out-of-fold precision reaches `target` over at least `min_flags` flags.

    Precision first: when the target is out of reach, the most precise threshold that still flags
    `min_flags` sentences. The floor keeps the choice from resting on a handful of top scores.
    `base_rate` re-weights precision to the unsupported rate expected on real pages, for tuning
    data whose own rate is far from it (such as the balanced own examples). `clean` holds the
    out-of-fold probabilities of sentences on pages with no unsupported sentence; thresholds that
    flag more than `max_clean` of every 100 of them are ruled out while any other remains.
    """
    precision, recall, thresholds = precision_recall_curve(y, probability)
    precision, recall = precision[:-1], recall[:-1]
    flagged = np.array([(probability >= t).sum() for t in thresholds])
    if base_rate is not None:
        negatives = max(int((~y.astype(bool)).sum()), 1)
        false_rate = (flagged - recall * y.sum()) / negatives
        precision = recall * base_rate / np.maximum(recall * base_rate + false_rate * (1 - base_rate), 1e-12)
    clean = np.sort(clean if clean is not None else np.array([]))
    clean_rate = 100 * (len(clean) - np.searchsorted(clean, thresholds)) / max(len(clean), 1)
    enough = flagged >= min(min_flags, len(y))
    allowed = enough & (clean_rate <= max_clean)
    rule = ""
    if len(clean) and np.isfinite(max_clean):
        rule = f", at most {max_clean:g} flags per 100 sentences of {len(clean)} on clean pages"
        if not allowed.any():
            allowed, rule = enough, f" (at most {max_clean:g} flags per 100 on clean pages: not reachable)"
    ok = np.flatnonzero((precision >= target) & allowed)
    if len(ok):
        k = ok[0]
        rule = f"lowest threshold with out-of-fold precision >= {target} over >= {min_flags} flags" + rule
    else:
        k = int(np.flatnonzero(allowed)[np.argmax(precision[allowed])])
        rule = (
            f"precision {target} not reachable out of fold: most precise threshold with >= {min_flags} flags"
            + rule
        )
    if base_rate is not None:
        rule += f" (precision re-weighted to a base rate of {base_rate})"
    return {
        "threshold": round(float(thresholds[k]), 4),
        "rule": rule,
        "oof_precision": round(float(precision[k]), 4),
        "oof_recall": round(float(recall[k]), 4),
        "oof_clean_flags_per_100": round(float(clean_rate[k]), 2) if len(clean) else None,
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
    myths: Sequence[Myth] = (),
) -> tuple[ClaimModel, dict]:
    """The fitted model and a summary of how its calibration and threshold were chosen.

    `vocabulary` is the fitted vectoriser and auxiliary heads of `training.auxiliary`.
    """
    text = TextFeatures(*vocabulary, word_weight=settings.word_weight)
    progress("cross-validating by page for calibration and threshold")
    held, scores = out_of_fold_scores(examples, text, settings, progress)
    scored = [examples[i] for i in held]
    y = np.array([e.label == "unsupported" for e in scored])
    tune = np.array([e.tune for e in scored], dtype=bool)
    calibrator = LogisticRegression(C=100.0).fit(scores[tune].reshape(-1, 1), y[tune])
    if settings.base_rate is not None:
        shift_prior(calibrator, float(y[tune].mean()), settings.base_rate)
    probability = calibrator.predict_proba(scores.reshape(-1, 1))[:, 1]
    choice = choose_threshold(
        probability[tune],
        y[tune],
        settings.target_precision,
        settings.min_flags,
        settings.base_rate,
        clean=probability[np.array(clean_page_sentences(scored), dtype=bool)],
        max_clean=settings.max_clean_flags,
    )
    if settings.threshold is not None:
        choice = {**choice, "threshold": settings.threshold, "rule": "fixed, not chosen out of fold"}
    progress(f"threshold {choice['threshold']} ({choice['rule']})")
    progress(f"fitting the final model on {len(examples)} examples")
    pipeline = _fit(build_pipeline(text, settings), examples)
    stance = fit_stance(pipeline, examples)
    myth = fit_myth_flagger(pipeline, myths, examples, progress) if myths and text.knowledge else None
    if text.knowledge is not None:
        text.knowledge.held_out_scores = {}  # fitting is over: the model scores every text alike
    model = ClaimModel(
        pipeline, calibrator, stance, choice["threshold"], *((myth.model, myth.cut) if myth else ())
    )
    summary = {
        "settings": asdict(settings),
        "threshold_choice": choice,
        "oof_average_precision": round(float(average_precision_score(y[tune], probability[tune])), 4),
        "oof_examples": int(tune.sum()),
        "tuning_unsupported_rate": round(float(y[tune].mean()), 4),
        "oof_audit_examples": int((~tune).sum()),
        "myth_flagger": myth.summary if myth else None,
    }
    return model, summary

"""The claim classifier: features -> flag score -> calibrated P(unsupported) -> label and reasons.

Two linear stages share one feature matrix: the flagger (unsupported vs everything else) whose
score is Platt-calibrated and whose per-feature contributions become the reasons, and a stance
model (supported vs neutral) that only names the label of sentences that are not flagged. Linear
models keep the reasons honest: a reason is a term of the very sum that made the score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from model import lexicons as lx
from model.features import SentenceInContext, in_context
from model.types import Prediction

MAX_REASONS = 4
# Feature -> reader phrase for the stacked and composite features (cue families use their own).
_PHRASES = {
    "no_evidence": "no study or source cited nearby",
    "claim_no_evidence": "health claim stated as fact with no evidence nearby",
    "health_assertion": "asserts a health effect without hedging",
    "wellness_claim": "vague wellness/immune claim",
    "animal_near": "animal or lab study nearby, result told as a human effect",
    "direct_causal": "direct causal wording",
    "advice": "gives health advice",
    "refuted_topic": "wording common in refuted health claims",
    "web_myth": "wording typical of health myths",
    "quote": "a quoted claim (attribution is not evidence)",
}
# Features that may push a score up but would read as nonsense as a reason ("cites evidence").
_SILENT = frozenset(
    {
        "log_words",
        "long",
        "short",
        "no_end_punct",
        "question",
        "evidence",
        "evidence_near",
        "hedge_near",
        "numbers",
    }
)


class ClaimModel:
    """What is pickled: the fitted pipeline (features + flagger), calibrator, stance model, threshold."""

    def __init__(
        self,
        pipeline: Pipeline,
        calibrator: LogisticRegression,
        stance: LogisticRegression,
        threshold: float,
    ):
        self.pipeline = pipeline
        self.calibrator = calibrator
        self.stance = stance
        self.threshold = float(threshold)
        self.feature_names = [str(n) for n in pipeline[:-1].get_feature_names_out()]

    def predict(self, sentences: Sequence[str], threshold: float | None = None) -> list[Prediction]:
        """One prediction per sentence of ONE page, given in reading order."""
        return self.predict_items(in_context(list(sentences)), threshold)

    def predict_documents(
        self, documents: Sequence[Sequence[str]], threshold: float | None = None
    ) -> list[list[Prediction]]:
        """Predictions for many independent pages in one vectorisation pass."""
        items = [item for doc in documents for item in in_context(list(doc))]
        flat = self.predict_items(items, threshold)
        out, start = [], 0
        for doc in documents:
            out.append(flat[start : start + len(doc)])
            start += len(doc)
        return out

    def predict_items(
        self, items: Sequence[SentenceInContext], threshold: float | None = None
    ) -> list[Prediction]:
        """Predictions for sentences already paired with their neighbours."""
        if not items:
            return []
        cut = self.threshold if threshold is None else float(threshold)
        matrix = self.pipeline[:-1].transform(items)
        probability = self._calibrate(self.pipeline[-1].decision_function(matrix))
        supported = self._supported(matrix)
        contributions = self._contributions(matrix)
        predictions = []
        for i, item in enumerate(items):
            flagged = probability[i] >= cut
            label = "unsupported" if flagged else ("supported" if supported[i] >= 0.5 else "neutral")
            reasons = self._reasons(item.text, contributions[i]) if flagged else ()
            predictions.append(Prediction(label, float(probability[i]), reasons))
        return predictions

    def probabilities(self, items: Sequence[SentenceInContext]) -> np.ndarray:
        """Calibrated P(unsupported) for sentences in context (for evaluation and threshold choice)."""
        return self._calibrate(self.pipeline.decision_function(items))

    def _supported(self, matrix: sparse.spmatrix) -> np.ndarray:
        """P(supported | not flagged); a stance model trained on one class answers with that class."""
        classes = list(self.stance.classes_)
        if "supported" not in classes:
            return np.zeros(matrix.shape[0])
        return self.stance.predict_proba(matrix)[:, classes.index("supported")]

    def _calibrate(self, scores: np.ndarray) -> np.ndarray:
        return self.calibrator.predict_proba(np.asarray(scores).reshape(-1, 1))[:, 1]

    def _contributions(self, matrix: sparse.spmatrix) -> sparse.csr_matrix:
        """Each feature's additive share of the flag score, per sentence."""
        coef = self.pipeline[-1].coef_.ravel()
        return sparse.csr_matrix(matrix).multiply(coef).tocsr()

    def _reasons(self, text: str, row: sparse.csr_matrix) -> tuple[str, ...]:
        """The strongest positive contributions, phrased for a reader, duplicates merged."""
        order = np.argsort(-row.data)
        reasons: list[str] = []
        for k in order:
            if row.data[k] <= 0 or len(reasons) == MAX_REASONS:
                break
            phrase = self._phrase(self.feature_names[row.indices[k]], text)
            if phrase and phrase not in reasons:
                reasons.append(phrase)
        return tuple(reasons) or ("wording typical of unsupported claims",)

    @staticmethod
    def _phrase(feature: str, text: str) -> str | None:
        """Reader phrase for a feature name such as `word:detox`, `cue:cure` or `aux:advice`."""
        block, _, name = feature.partition(":")
        if block == "word":
            return f"cue: '{name}'"
        if name in _PHRASES:
            return _PHRASES[name]
        family = lx.FAMILY_BY_NAME.get(name)
        if family is None or name in _SILENT:
            return None
        cues = lx.matches(family, text)
        return family.reason.format(cue="', '".join(cues)) if cues else None

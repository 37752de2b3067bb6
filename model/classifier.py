"""The claim classifier: features -> flag score -> calibrated P(unsupported) -> label and reasons.

Two linear stages share one feature matrix: the flagger (unsupported vs everything else) whose
score is Platt-calibrated and whose per-feature contributions become the reasons, and a stance
model (supported vs neutral) that only names the label of sentences that are not flagged. Linear
models keep the reasons honest: a reason is a term of the very sum that made the score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse, special
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from model import lexicons as lx
from model.features import FastFeatures, SentenceInContext, in_context
from model.knowledge import KnownClaims
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
        # The refuted-claim stage speaks through the match reason, which names the claim itself;
        # its head alone fires on most health wording, so as a reason it would say nothing.
        "false_claim",
        "similar_myth",
        # Wellness wording in general: the cue families name the words instead.
        "web_myth",
        "known_myth",
        "denied_myth",
        "closer_to_myth",
        "sure_myth",
        "close_myth",
    }
)
# Cosine to the nearest myth of the list from which a flagged sentence is shown that myth.
MATCH_MIN = 0.45
# Cosine to the nearest myth from which the myth flagger may flag a sentence without a health cue.
MYTH_GATE = 0.5


class _Linear:
    """A fitted binary LogisticRegression's P(`positive`) from its stored weights, without validation.

    The same expression as sklearn's `decision_function` (`X @ coef_.T + intercept_`) followed by
    `expit`, so the probabilities are the same numbers; it only skips the input checks.
    """

    def __init__(self, model: LogisticRegression, positive: object):
        self.coef_T = model.coef_.T
        self.intercept = model.intercept_
        self.positive_last = list(model.classes_).index(positive) == 1

    @staticmethod
    def fits(model: object) -> bool:
        return isinstance(model, LogisticRegression) and len(model.classes_) == 2

    def decision(self, x: np.ndarray | sparse.spmatrix) -> np.ndarray:
        return (x @ self.coef_T + self.intercept).reshape(-1)

    def proba(self, x: np.ndarray | sparse.spmatrix) -> np.ndarray:
        p = special.expit(self.decision(x))
        return p if self.positive_last else 1 - p


class _FastPath:
    """Predict-time arithmetic of a ClaimModel on its fitted parameters, skipping sklearn's overhead.

    A page is small, so input validation, FeatureUnion/joblib dispatch and one product per auxiliary
    head cost more than the arithmetic. Built lazily from the pickled estimators and never pickled
    itself, so the artifact format is unchanged; None parts fall back to the estimators' methods.
    """

    def __init__(self, model: ClaimModel):
        self.features = FastFeatures.of(model.pipeline[0]) if len(model.pipeline) == 2 else None
        flagger = model.pipeline[-1]
        self.flagger = _Linear(flagger, flagger.classes_[1]) if _Linear.fits(flagger) else None
        calibrator = model.calibrator
        self.calibrator = _Linear(calibrator, calibrator.classes_[1]) if _Linear.fits(calibrator) else None
        stance = model.stance
        fits = _Linear.fits(stance) and "supported" in list(stance.classes_)
        self.stance = _Linear(stance, "supported") if fits else None
        myth = model.myth_flagger
        self.myth = _Linear(myth, True) if myth is not None and _Linear.fits(myth) else None


class ClaimModel:
    """What is pickled: the fitted pipeline (features + flagger), calibrator, stance model, threshold,
    and the myth flagger with its cut (`training.myth_flagger`).

    The myth flagger flags on its own: known false claims are too rare on labelled pages for the
    page flagger to weigh them as they deserve. A sentence's probability is the larger of the page
    flagger's and the myth flagger's, the latter rescaled so that its cut lands on the threshold,
    so "unsupported exactly when the probability reaches the threshold" holds for both.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        calibrator: LogisticRegression,
        stance: LogisticRegression,
        threshold: float,
        myth_flagger: LogisticRegression | None = None,
        myth_cut: float = 1.0,
    ):
        self.pipeline = pipeline
        self.calibrator = calibrator
        self.stance = stance
        self.threshold = float(threshold)
        self.myth_flagger = myth_flagger
        self.myth_cut = float(myth_cut)
        self.feature_names = [str(n) for n in pipeline[:-1].get_feature_names_out()]

    def __getstate__(self) -> dict:
        """Pickle without the fast path: it is derived, and rebuilt on first use after loading."""
        state = dict(self.__dict__)
        state.pop("_fast", None)
        state.pop("_columns", None)
        return state

    def _fast_path(self) -> _FastPath:
        # Models pickled before the fast path existed have no `_fast` attribute either.
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = self._fast = _FastPath(self)
        return fast

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
        self, items: Sequence[SentenceInContext], threshold: float | None = None, *, fast: bool = True
    ) -> list[Prediction]:
        """Predictions for sentences already paired with their neighbours.

        `fast=False` runs the sklearn estimators' own methods instead of the fast path; the results
        are the same (tests/test_classifier.py checks it), it exists as the reference.
        """
        if not items:
            return []
        cut = self.threshold if threshold is None else float(threshold)
        matrix = self._features(items, fast)
        probability = np.maximum(self._calibrate(self._flag_scores(matrix, fast), fast), self._myth(matrix))
        supported = (self._supported(matrix, fast) >= 0.5) & self._evidenced(matrix)
        flagged = probability >= cut
        # Only flagged sentences get reasons and matches; a page with none skips both.
        contributions = self._contributions(matrix) if flagged.any() else None
        matches = self._matches([item for item, f in zip(items, flagged, strict=True) if f])
        predictions = []
        for i, item in enumerate(items):
            if not flagged[i]:
                label = "supported" if supported[i] else "neutral"
                predictions.append(Prediction(label, float(probability[i])))
                continue
            match = next(matches)
            reasons = self._reasons(item.text, contributions, i)
            if match is not None:
                reasons = (f"resembles a claim rated false: '{match['claim']}'", *reasons)[:MAX_REASONS]
            predictions.append(Prediction("unsupported", float(probability[i]), reasons, match))
        return predictions

    def _evidenced(self, matrix: sparse.spmatrix) -> np.ndarray:
        """Whether a sentence names evidence in or right around it (study, trial, authority, data).

        A `supported` label says the claim has evidence; a remedy claim that merely reads as positive
        has none, so without an evidence cue here or in a neighbour it stays `neutral`.
        """
        columns = [self._column.get(f"cue:{name}") for name in ("evidence", "evidence_near")]
        present = [k for k in columns if k is not None]
        if not present:
            return np.ones(matrix.shape[0], dtype=bool)
        return np.asarray(sparse.csr_matrix(matrix)[:, present].sum(axis=1)).reshape(-1) > 0

    def _matches(self, items: Sequence[SentenceInContext]):
        """The known refuted claim each of `items` resembles (or None), in order, as an iterator."""
        knowledge = self.knowledge
        if knowledge is None or not items:
            return iter([None] * len(items))
        words = self.pipeline[0].transformer_list[0][1].vectorizer.transform(items)
        return iter(
            claim.as_dict() if claim is not None and cosine >= MATCH_MIN else None
            for claim, cosine in knowledge.nearest(words)
        )

    @property
    def knowledge(self) -> KnownClaims | None:
        """The refuted-claim stage inside the word features, when the model has one."""
        steps = getattr(self.pipeline[0], "transformer_list", None)
        return getattr(steps[0][1], "knowledge", None) if steps else None

    @property
    def _column(self) -> dict[str, int]:
        column = self.__dict__.get("_columns")
        if column is None:
            column = self._columns = {name: k for k, name in enumerate(self.feature_names)}
        return column

    def probabilities(self, items: Sequence[SentenceInContext]) -> np.ndarray:
        """P(unsupported) for sentences in context, as `predict_items` gives it (for evaluation)."""
        matrix = self._features(items, True)
        return np.maximum(self._calibrate(self._flag_scores(matrix, True), True), self._myth(matrix))

    def _myth(self, matrix: sparse.spmatrix) -> np.ndarray:
        """The myth flagger's probability on the page flagger's scale: its cut maps to the threshold."""
        if self.myth_flagger is None:
            return np.zeros(matrix.shape[0])
        fast = self._fast_path().myth
        p = fast.proba(matrix) if fast is not None else self.myth_flagger.predict_proba(matrix)[:, 1]
        return self._myth_scale(p) * self._about_health(matrix)

    def _about_health(self, matrix: sparse.spmatrix) -> np.ndarray:
        """Whether the myth flagger may speak: the sentence names a health topic, or is close to a
        listed myth and is not a fragment of a few words (which shares a word with some myth by
        chance). Without it, advice about locks or routers ("keeps thieves away") and headings such
        as "You're Broke" have enough of a myth's shape to be flagged."""
        columns = [self._column[name] for name in ("cue:health", "know:similar_myth", "cue:short")]
        values = sparse.csr_matrix(matrix)[:, columns].toarray()
        return (values[:, 0] > 0) | ((values[:, 1] >= MYTH_GATE) & (values[:, 2] == 0))

    def _myth_scale(self, p: np.ndarray) -> np.ndarray:
        """Piecewise linear: 0 -> 0, the myth cut -> the threshold, 1 -> 1."""
        t, cut = self.threshold, self.myth_cut
        return np.where(p >= cut, t + (1 - t) * (p - cut) / max(1 - cut, 1e-9), t * p / max(cut, 1e-9))

    def _features(self, items: Sequence[SentenceInContext], fast: bool) -> sparse.csr_matrix:
        features = self._fast_path().features if fast else None
        return features.transform(items) if features is not None else self.pipeline[:-1].transform(items)

    def _flag_scores(self, matrix: sparse.spmatrix, fast: bool) -> np.ndarray:
        flagger = self._fast_path().flagger if fast else None
        return (
            flagger.decision(matrix) if flagger is not None else self.pipeline[-1].decision_function(matrix)
        )

    def _supported(self, matrix: sparse.spmatrix, fast: bool) -> np.ndarray:
        """P(supported | not flagged); a stance model trained on one class answers with that class."""
        stance = self._fast_path().stance if fast else None
        if stance is not None:
            return stance.proba(matrix)
        classes = list(self.stance.classes_)
        if "supported" not in classes:
            return np.zeros(matrix.shape[0])
        return self.stance.predict_proba(matrix)[:, classes.index("supported")]

    def _calibrate(self, scores: np.ndarray, fast: bool) -> np.ndarray:
        column = np.asarray(scores).reshape(-1, 1)
        calibrator = self._fast_path().calibrator if fast else None
        return (
            calibrator.proba(column)
            if calibrator is not None
            else self.calibrator.predict_proba(column)[:, 1]
        )

    def _contributions(self, matrix: sparse.spmatrix) -> sparse.csr_matrix:
        """Each feature's additive share of the flag score, per sentence."""
        coef = self.pipeline[-1].coef_.ravel()
        return sparse.csr_matrix(matrix).multiply(coef).tocsr()

    def _reasons(self, text: str, contributions: sparse.csr_matrix, i: int) -> tuple[str, ...]:
        """The strongest positive contributions of row `i`, phrased for a reader, duplicates merged.

        The row is read through `indptr` (the same entries in the same order as `contributions[i]`,
        without building a one-row matrix per flagged sentence).
        """
        start, stop = contributions.indptr[i], contributions.indptr[i + 1]
        data, indices = contributions.data[start:stop], contributions.indices[start:stop]
        order = np.argsort(-data)
        reasons: list[str] = []
        said: set[str] = set()
        for k in order:
            if data[k] <= 0 or len(reasons) == MAX_REASONS:
                break
            phrase = self._phrase(self.feature_names[indices[k]], text)
            # "direct causal wording" and "direct causal wording: 'can'" say one thing: keep the first.
            topic = phrase.split(":", 1)[0] if phrase else ""
            if phrase and topic not in said:
                reasons.append(phrase)
                said.add(topic)
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

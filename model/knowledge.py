"""Known refuted health claims: does a sentence say (a paraphrase of) a claim rated false?

Wording alone cannot tell "Vaccines cause autism." from a sound sentence: the model has to know
which claims are false. This stage knows it from data: a logistic head trained on the project's
myth list against true statements of the same shape and topics, and the nearest myth of that list
in the same TF-IDF space, which is the claim a reader is shown. It works on the word matrix the
page model already computed, so a page is tokenised once.

A sentence's nearest myth never counts its own exact text (cosine 1): the myths also train the
myth flagger, which without that rule would learn from similarities of 1.0 that paraphrases met
on real pages never reach. The reader still sees the exact match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse, special
from sklearn.linear_model import LogisticRegression

# Cosine at or above which two rows are the same text (TF-IDF rows are L2-normalised).
SAME_TEXT = 0.999
FEATURES = (
    "false_claim",
    "similar_myth",
    "known_myth",
    "denied_myth",
    "closer_to_myth",
    "sure_myth",
    "close_myth",
)
# Where the stage is sure: a linear page model cannot otherwise trust a near-certain match much
# more than the moderate scores that most health wording on news pages gets.
SURE = 0.8
CLOSE = 0.5
# Words that turn a myth's wording into its rebuttal ("There is no evidence that X cures cancer",
# "Vaccines do not cause autism"): with them a close match is read as a denial, not a claim.
DENIAL_WORDS = frozenset(
    "not no never cannot doesn don isn aren won didn wasn weren nor neither myth myths false "
    "debunked hoax disproven unproven refuted misinformation baseless".split()
)


@dataclass(frozen=True)
class KnownClaim:
    """A claim rated false, with the consensus against it and the public health page that says so."""

    claim: str
    consensus: str
    source: str
    topic: str
    verdict: str = "false"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class KnownClaims:
    """The refuted-claim head and the myth index, both on the page model's word vocabulary."""

    def __init__(
        self,
        head: LogisticRegression,
        claims: list[KnownClaim],
        matrix: sparse.csr_matrix,
        truths: sparse.csr_matrix,
        vocabulary: dict[str, int],
    ):
        if len(claims) != matrix.shape[0]:
            raise ValueError("one matrix row per known claim is needed")
        self.claims = claims
        # Text -> scores of a stage whose head never saw that text (`training.knowledge`), for the
        # page model's fit only; emptied before the model is saved.
        self.held_out_scores: dict[str, np.ndarray] = {}
        self.denial = np.zeros(matrix.shape[1], dtype=np.float32)
        self.denial[[vocabulary[w] for w in DENIAL_WORDS if w in vocabulary]] = 1.0
        # Rows are the myths' and true statements' TF-IDF vectors; `index @ words.T` is the fastest
        # of the products tried (half the time of `words @ index.T`).
        self.myths = sparse.csr_matrix(matrix)
        self.truths = sparse.csr_matrix(truths)
        self.weights = np.ascontiguousarray(head.coef_.ravel())
        self.intercept = float(head.intercept_[0])
        self.positive_last = list(head.classes_).index(True) == 1

    @staticmethod
    def _cosines(index: sparse.csr_matrix, words: sparse.spmatrix) -> sparse.csr_matrix:
        """(index rows, sentences) cosines (TF-IDF rows are L2-normalised), sparse."""
        return sparse.csr_matrix(index @ sparse.csc_matrix(words).T)

    def _nearest(self, words: sparse.spmatrix, index: sparse.csr_matrix) -> np.ndarray:
        """Each sentence's cosine to the nearest row of `index` that is not its own text."""
        if index.shape[0] == 0:
            return np.zeros(words.shape[0])
        cosine = self._cosines(index, words)
        cosine.data[cosine.data >= SAME_TEXT] = 0.0
        return cosine.max(axis=0).toarray().reshape(-1)

    def scores(self, words: sparse.spmatrix) -> np.ndarray:
        """(sentences, 7): P(false claim), cosine to the nearest other myth, their product, that
        product again where the sentence holds a denial word, how much nearer the sentence is to a
        myth than to any true statement of the list (0 when a true statement is nearer), and where
        the head is sure or a myth is close."""
        decision = np.asarray(words @ self.weights).reshape(-1) + self.intercept
        p = special.expit(decision) if self.positive_last else 1 - special.expit(decision)
        nearest = self._nearest(words, self.myths)
        truth = self._nearest(words, self.truths)
        denied = np.asarray(words @ self.denial).reshape(-1) > 0
        known = p * nearest
        sure = np.maximum(p - SURE, 0.0) / (1 - SURE)
        close = (nearest >= CLOSE) * p * ~denied
        return np.column_stack(
            [p, nearest, known, known * denied, np.maximum(nearest - truth, 0.0), sure, close]
        )

    def training_scores(self, words: sparse.spmatrix, texts: Sequence[str]) -> np.ndarray:
        """`scores`, with the held-out scores for the stage's own training texts: the myths and
        true statements train the page model too, and scored by a head that learnt them they would
        teach it a trust that paraphrases met on pages never earn."""
        scores = self.scores(words)
        for i, text in enumerate(texts):
            held = self.held_out_scores.get(text)
            if held is not None:
                scores[i] = held
        return scores

    def nearest(self, words: sparse.spmatrix) -> list[tuple[KnownClaim | None, float]]:
        """Each row's most similar myth of the list (its own text included) and the cosine."""
        if not self.claims:
            return [(None, 0.0)] * words.shape[0]
        cosine = self._cosines(self.myths, words).toarray()
        best = cosine.argmax(axis=0)
        return [(self.claims[k], float(cosine[k, i])) for i, k in enumerate(best)]

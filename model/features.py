"""Sentence features: learnt word n-grams, cue-lexicon flags with neighbour evidence, auxiliary scores.

A sentence is judged with its neighbours because the evidence for a claim is often one sentence
away ("... helps fight obesity." followed by "The study was done in mice."). Only the sentence's
own text and its neighbours' text go in, so the same features come out whatever splitter produced
the sentences and wherever they came from (a page, a CSV row, a dataset).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from model import lexicons as lx


class SentenceInContext(NamedTuple):
    """One sentence with the sentences right before and after it on its page ("" at the edges)."""

    text: str
    before: str = ""
    after: str = ""


def in_context(sentences: Sequence[str]) -> list[SentenceInContext]:
    """Pair each sentence of one page with its reading-order neighbours."""
    last = len(sentences) - 1
    return [
        SentenceInContext(text, sentences[i - 1] if i > 0 else "", sentences[i + 1] if i < last else "")
        for i, text in enumerate(sentences)
    ]


def sentence_text(item: SentenceInContext) -> str:
    """The TF-IDF preprocessor: only the sentence itself, lower-cased, feeds the word n-grams."""
    return item.text.lower()


def _has(pattern, text: str) -> bool:
    return pattern.search(text) is not None


def _cue_row(item: SentenceInContext) -> list[float]:
    """Binary cue flags plus a few shape features, in the order of `CUE_FEATURE_NAMES`."""
    text = item.text
    around = f"{item.before} {item.after}"
    own = {family.name: _has(family.pattern, text) for family in lx.FAMILIES}
    evidence_here = own["evidence"] or own["numbers"]
    evidence_near = _has(lx.EVIDENCE, around) or _has(lx.NUMBERS, around)
    assertive = (
        own["cure"] or own["prevention"] or own["boost"] or own["causal"] or own["absolute"]
    ) and not own["hedge"]
    words = len(text.split())
    return [
        *(float(own[family.name]) for family in lx.FAMILIES),
        float(evidence_near),
        float(_has(lx.ANIMAL, around)),
        float(_has(lx.HEDGE, around)),
        float(not evidence_here and not evidence_near),
        float(own["health"] and assertive),
        float(own["health"] and assertive and not evidence_here and not evidence_near),
        float(own["health"] and (own["boost"] or own["toxins"]) and not evidence_here),
        float('"' in text or "“" in text or "”" in text),
        float("?" in text),
        float(words < 6),
        float(words > 35),
        math.log1p(words) / 4.0,
        float(not text.rstrip().endswith((".", "!", "?", '"', "”", "'", "’"))),
    ]


CUE_FEATURE_NAMES: tuple[str, ...] = (
    *(family.name for family in lx.FAMILIES),
    "evidence_near",
    "animal_near",
    "hedge_near",
    "no_evidence",
    "health_assertion",
    "claim_no_evidence",
    "wellness_claim",
    "quote",
    "question",
    "short",
    "long",
    "log_words",
    "no_end_punct",
)


class CueFeatures(BaseEstimator, TransformerMixin):
    """Cue-lexicon flags for each sentence in context; stateless, so fitting learns nothing."""

    def fit(self, items: Sequence[SentenceInContext], y=None) -> CueFeatures:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        return sparse.csr_matrix(np.array([_cue_row(item) for item in items], dtype=np.float64))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array(CUE_FEATURE_NAMES, dtype=object)


class AuxScores(BaseEstimator, TransformerMixin):
    """Scores of small models trained beforehand on auxiliary tasks (claim strength, advice, topic).

    They are fitted on other corpora (see `training.auxiliary`) and passed in ready-made, so
    fitting the main pipeline leaves them untouched. One shared vectoriser keeps prediction to a
    single extra TF-IDF pass whatever the number of heads. With no heads it adds no columns.
    """

    def __init__(self, vectorizer: TfidfVectorizer | None = None, heads: dict | None = None):
        self.vectorizer = vectorizer
        self.heads = heads

    def fit(self, items: Sequence[SentenceInContext], y=None) -> AuxScores:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        if not self.heads:
            return sparse.csr_matrix((len(items), 0))
        matrix = self.vectorizer.transform(items)
        columns = [
            head.predict_proba(matrix)[:, list(head.classes_).index(positive)]
            for head, positive in self.heads.values()
        ]
        return sparse.csr_matrix(np.column_stack(columns))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"aux_{name}" for name in self.heads or {}], dtype=object)


def word_vectorizer(min_df: int = 2, max_features: int = 20000) -> TfidfVectorizer:
    """Word 1-2 grams of the sentence alone; neighbours enter only through the cue flags."""
    return TfidfVectorizer(
        preprocessor=sentence_text,
        ngram_range=(1, 2),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
    )


def feature_union(aux: AuxScores, word_weight: float = 1.0, min_df: int = 2) -> FeatureUnion:
    """All sentence features side by side; `word_weight` trades learnt words against cues."""
    return FeatureUnion(
        [("words", word_vectorizer(min_df=min_df)), ("cues", CueFeatures()), ("aux", aux)],
        transformer_weights={"words": word_weight, "cues": 1.0, "aux": 1.0},
    )

"""Sentence features: word n-grams with stacked auxiliary scores, and cue flags with neighbour evidence.

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


def word_vectorizer(min_df: int = 2, max_features: int = 30000) -> TfidfVectorizer:
    """Word 1-2 grams of the sentence alone; neighbours enter only through the cue flags."""
    return TfidfVectorizer(
        preprocessor=sentence_text,
        ngram_range=(1, 2),
        min_df=min_df,
        max_features=max_features,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
        dtype=np.float32,
    )


class TextFeatures(BaseEstimator, TransformerMixin):
    """TF-IDF word n-grams (scaled by `word_weight`) followed by the scores of auxiliary heads.

    The vectoriser and the heads are fitted beforehand (`training.auxiliary`): the heads learn
    claim strength, advice and refuted-claim vocabulary from other corpora on the same vocabulary,
    so a page is tokenised once for both. Fitting the page model leaves them untouched.
    """

    def __init__(self, vectorizer: TfidfVectorizer, heads: dict | None = None, word_weight: float = 1.0):
        self.vectorizer = vectorizer
        self.heads = heads
        self.word_weight = word_weight

    def fit(self, items: Sequence[SentenceInContext], y=None) -> TextFeatures:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        words = self.vectorizer.transform(items)
        if not self.heads:
            return words * self.word_weight
        scores = [
            head.predict_proba(words)[:, list(head.classes_).index(positive)]
            for head, positive in self.heads.values()
        ]
        return sparse.hstack([words * self.word_weight, np.column_stack(scores)], format="csr")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        words = [f"word:{term}" for term in self.vectorizer.get_feature_names_out()]
        return np.array(words + [f"aux:{name}" for name in self.heads or {}], dtype=object)


_ENDINGS = (".", "!", "?", '"', "”", "'", "’")
CUE_FEATURE_NAMES: tuple[str, ...] = (
    *(family.name for family in lx.FAMILIES),
    "numbers",
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


def _flags(text: str) -> dict[str, bool]:
    tokens = lx.Tokens.of(text)
    flags = {family.name: lx.fires(family, tokens) for family in lx.FAMILIES}
    flags["numbers"] = any(ch.isdigit() for ch in text)
    return flags


def _cue_row(text: str, own: dict[str, bool], before: dict[str, bool], after: dict[str, bool]) -> list[float]:
    """Cue flags plus composites and shape, in the order of `CUE_FEATURE_NAMES`."""
    evidence_here = own["evidence"] or own["numbers"]
    evidence_near = any(n["evidence"] or n["numbers"] for n in (before, after))
    assertive = (
        own["cure"] or own["prevention"] or own["boost"] or own["causal"] or own["absolute"]
    ) and not own["hedge"]
    unsourced = not evidence_here and not evidence_near
    words = len(text.split())
    return [
        *(float(own[family.name]) for family in lx.FAMILIES),
        float(own["numbers"]),
        float(evidence_near),
        float(before["animal"] or after["animal"]),
        float(before["hedge"] or after["hedge"]),
        float(unsourced),
        float(own["health"] and assertive),
        float(own["health"] and assertive and unsourced),
        float(own["health"] and (own["boost"] or own["toxins"]) and not evidence_here),
        float('"' in text or "“" in text or "”" in text),
        float("?" in text),
        float(words < 6),
        float(words > 35),
        math.log1p(words) / 4.0,
        float(not text.rstrip().endswith(_ENDINGS)),
    ]


_NONE = dict.fromkeys((*(f.name for f in lx.FAMILIES), "numbers"), False)


class CueFeatures(BaseEstimator, TransformerMixin):
    """Cue-lexicon flags for each sentence in context; stateless, so fitting learns nothing.

    Flags are computed once per distinct text: on a page each sentence is also its neighbours'
    neighbour, so this triples nothing.
    """

    def fit(self, items: Sequence[SentenceInContext], y=None) -> CueFeatures:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        cache: dict[str, dict[str, bool]] = {"": _NONE}

        def flags(text: str) -> dict[str, bool]:
            if text not in cache:
                cache[text] = _flags(text)
            return cache[text]

        rows = [_cue_row(i.text, flags(i.text), flags(i.before), flags(i.after)) for i in items]
        return sparse.csr_matrix(np.array(rows, dtype=np.float64).reshape(len(items), len(CUE_FEATURE_NAMES)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"cue:{name}" for name in CUE_FEATURE_NAMES], dtype=object)


def feature_union(text: TextFeatures) -> FeatureUnion:
    """All sentence features side by side, names prefixed `word:`, `aux:` or `cue:`."""
    return FeatureUnion([("text", text), ("cues", CueFeatures())], verbose_feature_names_out=False)

"""Sentence features: word n-grams with stacked auxiliary scores, and cue flags with neighbour evidence.

A sentence is judged with its neighbours because the evidence for a claim is often one sentence
away ("... helps fight obesity." followed by "The study was done in mice."). Only the sentence's
own text and its neighbours' text go in, so the same features come out whatever splitter produced
the sentences and wherever they came from (a page, a CSV row, a dataset).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse, special
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
    flags["numbers"] = _has_digit(text)
    return flags


_ASCII_DIGIT = re.compile("[0-9]")


def _has_digit(text: str) -> bool:
    """`any(ch.isdigit() for ch in text)`, with one regex scan for ASCII text instead of a loop.

    Non-ASCII text may hold other digits (other scripts, superscripts), so it keeps `isdigit`,
    once per distinct character.
    """
    if _ASCII_DIGIT.search(text):
        return True
    return not text.isascii() and any(ch.isdigit() for ch in set(text))


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


def cue_matrix(items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
    """The cue block for `items`; shared by `CueFeatures` and the fast path so both stay one code."""
    cache: dict[str, dict[str, bool]] = {"": _NONE}

    def flags(text: str) -> dict[str, bool]:
        if text not in cache:
            cache[text] = _flags(text)
        return cache[text]

    rows = [_cue_row(i.text, flags(i.text), flags(i.before), flags(i.after)) for i in items]
    return sparse.csr_matrix(np.array(rows, dtype=np.float64).reshape(len(items), len(CUE_FEATURE_NAMES)))


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
        return cue_matrix(items)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"cue:{name}" for name in CUE_FEATURE_NAMES], dtype=object)


def feature_union(text: TextFeatures) -> FeatureUnion:
    """All sentence features side by side, names prefixed `word:`, `aux:` or `cue:`."""
    return FeatureUnion([("text", text), ("cues", CueFeatures())], verbose_feature_names_out=False)


class StackedHeads:
    """The auxiliary heads' weights side by side, so one sparse product scores every head.

    `TextFeatures.transform` asks each head for `predict_proba`, which re-validates the word matrix
    and multiplies it once per head. Here the same float32 weights and intercepts are stacked and
    the same operations follow (expit for two classes, softmax otherwise), so each output column
    accumulates the same products in the same order and the scores are bit-for-bit the same.
    """

    def __init__(self, heads: dict):
        self.weights = np.ascontiguousarray(np.hstack([head.coef_.T for head, _ in heads.values()]))
        self.intercept = np.concatenate([head.intercept_ for head, _ in heads.values()])
        # Per head: its columns in `weights`, whether it is binary, and the wanted class's column.
        self.parts: list[tuple[slice, bool, int]] = []
        start = 0
        for head, positive in heads.values():
            width = head.coef_.shape[0]
            column = list(head.classes_).index(positive)
            self.parts.append((slice(start, start + width), len(head.classes_) <= 2, column))
            start += width

    def scores(self, words: sparse.csr_matrix) -> np.ndarray:
        """(n_sentences, n_heads) probabilities of each head's positive class."""
        decision = words @ self.weights + self.intercept
        columns = []
        for part, binary, column in self.parts:
            block = np.array(decision[:, part])
            if binary:
                p = special.expit(block[:, 0])
                columns.append(p if column == 1 else 1 - p)
            else:  # sklearn.utils.extmath.softmax, step for step
                block -= block.max(axis=1).reshape(-1, 1)
                np.exp(block, out=block)
                block /= block.sum(axis=1).reshape(-1, 1)
                columns.append(block[:, column])
        return np.column_stack(columns)


class FastFeatures:
    """`feature_union(text)`'s transform without the FeatureUnion, joblib and per-head validation.

    Inference only, derived from a fitted union (never pickled): the vectoriser, the stacked heads
    and `cue_matrix` run in the union's order and the blocks are stacked once, giving the same
    matrix as `union.transform`.
    """

    def __init__(self, text: TextFeatures):
        self.vectorizer = text.vectorizer
        self.word_weight = text.word_weight
        self.heads = StackedHeads(text.heads) if text.heads else None

    @classmethod
    def of(cls, union: FeatureUnion) -> FastFeatures | None:
        """The fast transform for a union built by `feature_union`, or None for any other layout."""
        steps = union.transformer_list
        if (
            len(steps) != 2
            or union.transformer_weights
            or not isinstance(steps[0][1], TextFeatures)
            or not isinstance(steps[1][1], CueFeatures)
        ):
            return None
        return cls(steps[0][1])

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        words = self.vectorizer.transform(items)
        blocks = [words * self.word_weight]
        if self.heads is not None:
            # As CSR (zeros dropped, as hstack drops them from a dense block) so that every block
            # is CSR and scipy stacks them directly, without a round trip through COO.
            blocks.append(sparse.csr_matrix(self.heads.scores(words)))
        blocks.append(cue_matrix(items))
        return sparse.hstack(blocks, format="csr")

"""Sentence features: word n-grams with stacked auxiliary scores, and cue flags with neighbour evidence.

A sentence is judged with its neighbours because the evidence for a claim is often one sentence
away ("... helps fight obesity." followed by "The study was done in mice."). Only the sentence's
own text and its neighbours' text go in, so the same features come out whatever splitter produced
the sentences and wherever they came from (a page, a CSV row, a dataset).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse, special
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from model import lexicons as lx
from model.knowledge import FEATURES as KNOWLEDGE_FEATURES
from model.knowledge import KnownClaims


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
        # Words of two or more characters that hold a letter, digits allowed after a leading
        # number ("5g", "b17", "covid-19"): the names of many health myths.
        token_pattern=r"(?u)\b(?:[0-9]+[a-zA-Z]|[a-zA-Z][a-zA-Z0-9-])[a-zA-Z0-9-]*\b",
        dtype=np.float32,
    )


class TextFeatures(BaseEstimator, TransformerMixin):
    """TF-IDF word n-grams (scaled by `word_weight`), the scores of auxiliary heads, and the
    refuted-claim stage's scores (`model.knowledge`).

    The vectoriser, the heads and the stage are fitted beforehand (`training.auxiliary`) on the same
    vocabulary, so a page is tokenised once for all of them. Fitting the page model leaves them
    untouched.
    """

    def __init__(
        self,
        vectorizer: TfidfVectorizer,
        heads: dict | None = None,
        knowledge: KnownClaims | None = None,
        word_weight: float = 1.0,
    ):
        self.vectorizer = vectorizer
        self.heads = heads
        self.word_weight = word_weight
        self.knowledge = knowledge

    def fit(self, items: Sequence[SentenceInContext], y=None) -> TextFeatures:
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        words = self.vectorizer.transform(items)
        blocks = [words * self.word_weight]
        if self.heads:
            scores = [
                head.predict_proba(words)[:, list(head.classes_).index(positive)]
                for head, positive in self.heads.values()
            ]
            blocks.append(sparse.csr_matrix(np.column_stack(scores)))
        if self.knowledge is not None:
            # While the model is fitted, the stage scores its own texts held out (`training_scores`).
            scores = self.knowledge.training_scores(words, [item.text for item in items])
            blocks.append(sparse.csr_matrix(scores))
        return sparse.hstack(blocks, format="csr")

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        words = [f"word:{term}" for term in self.vectorizer.get_feature_names_out()]
        known = [f"know:{name}" for name in KNOWLEDGE_FEATURES] if self.knowledge is not None else []
        return np.array(words + [f"aux:{name}" for name in self.heads or {}] + known, dtype=object)


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


_FLAGS = (*(family.name for family in lx.FAMILIES), "numbers")
_FLAG = {name: k for k, name in enumerate(_FLAGS)}
_ASCII_DIGIT = re.compile("[0-9]")


def _has_digit(text: str) -> bool:
    """`any(ch.isdigit() for ch in text)`, with one regex scan for ASCII text instead of a loop.

    Non-ASCII text may hold other digits (other scripts, superscripts), so it keeps `isdigit`,
    once per distinct character.
    """
    if _ASCII_DIGIT.search(text):
        return True
    return not text.isascii() and any(ch.isdigit() for ch in set(text))


def _flag_rows(texts: Sequence[str]) -> np.ndarray:
    """(texts, families + 1) booleans: each cue family's verdict, then whether a digit occurs."""
    rows = [[*lx.INDEX.fired(lx.Tokens.of(text)), _has_digit(text)] for text in texts]
    return np.array(rows, dtype=bool).reshape(len(texts), len(_FLAGS))


def cue_matrix(items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
    """The cue block for `items`, in the order of `CUE_FEATURE_NAMES`; shared by `CueFeatures` and
    the fast path so both stay one code.

    Flags are computed once per distinct text (on a page each sentence is also its neighbours'
    neighbour) and the composites are column operations over the whole page.
    """
    position: dict[str, int] = {"": 0}  # "" (no neighbour) fires nothing
    own = [position.setdefault(i.text, len(position)) for i in items]
    before = [position.setdefault(i.before, len(position)) for i in items]
    after = [position.setdefault(i.after, len(position)) for i in items]
    flags = _flag_rows(list(position))
    here, prev, next_ = flags[own], flags[before], flags[after]

    def any_of(block: np.ndarray, *names: str) -> np.ndarray:
        return block[:, [_FLAG[name] for name in names]].any(axis=1)

    evidence_here = any_of(here, "evidence", "numbers")
    evidence_near = any_of(prev, "evidence", "numbers") | any_of(next_, "evidence", "numbers")
    assertive = any_of(here, "cure", "prevention", "boost", "causal", "absolute") & ~any_of(here, "hedge")
    unsourced = ~evidence_here & ~evidence_near
    health = any_of(here, "health")
    texts = [i.text for i in items]
    words = [len(text.split()) for text in texts]
    columns = [
        evidence_near,
        any_of(prev, "animal") | any_of(next_, "animal"),
        any_of(prev, "hedge") | any_of(next_, "hedge"),
        unsourced,
        health & assertive,
        health & assertive & unsourced,
        health & any_of(here, "boost", "toxins") & ~evidence_here,
        ['"' in text or "“" in text or "”" in text for text in texts],
        ["?" in text for text in texts],
        [n < 6 for n in words],
        [n > 35 for n in words],
        [math.log1p(n) / 4.0 for n in words],
        [not text.rstrip().endswith(_ENDINGS) for text in texts],
    ]
    shape = (len(items), len(columns))
    rest = np.array(columns, dtype=np.float64).T.reshape(shape)
    return sparse.csr_matrix(np.hstack([here.astype(np.float64), rest]))


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


class WordCounts:
    """A fitted word n-gram vectoriser's TF-IDF matrix, with the counting done by C-level maps.

    `CountVectorizer._count_vocab` builds every n-gram string and counts it in a dict, sentence
    by sentence, in Python: half the classifier's time. Here each sentence's n-grams are looked up
    with `map`, the counts summed by scipy, and the vectoriser's own TF-IDF step applied, so the
    matrix is the same (entries, order, dtype) as `vectorizer.transform`.
    """

    def __init__(self, vectorizer: TfidfVectorizer):
        self.vectorizer = vectorizer
        self.preprocess = vectorizer.build_preprocessor()
        self.tokenize = vectorizer.build_tokenizer()
        self.lookup = vectorizer.vocabulary_.get
        self.max_n = vectorizer.ngram_range[1]

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> WordCounts | None:
        """The fast transform when the analyser is one this class reproduces, else None."""
        plain = (
            isinstance(vectorizer, TfidfVectorizer)
            and vectorizer.analyzer == "word"
            and vectorizer.ngram_range[0] == 1
            and vectorizer.stop_words is None
            and vectorizer.input == "content"
            and not vectorizer.binary
            and vectorizer.norm in ("l2", None)
        )
        return cls(vectorizer) if plain else None

    def _ids(self, item: SentenceInContext) -> list[int]:
        tokens = self.tokenize(self.preprocess(item))
        grams = [tokens]
        grams += [
            map(" ".join, zip(*(tokens[k:] for k in range(n)), strict=False))
            for n in range(2, self.max_n + 1)
        ]
        return [i for i in map(self.lookup, itertools.chain.from_iterable(grams)) if i is not None]

    def transform(self, items: Sequence[SentenceInContext]) -> sparse.csr_matrix:
        columns: list[int] = []
        indptr = [0]
        for item in items:
            columns += self._ids(item)
            indptr.append(len(columns))
        shape = (len(items), len(self.vectorizer.vocabulary_))
        data = np.ones(len(columns), dtype=self.vectorizer.dtype)
        counts = sparse.csr_matrix((data, np.array(columns, dtype=np.int32), indptr), shape=shape)
        counts.sum_duplicates()
        return self._tfidf(counts)

    def _tfidf(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """`TfidfTransformer.transform(counts, copy=False)` step for step, minus its input checks
        (a millisecond per page, more than the arithmetic)."""
        weighting = self.vectorizer._tfidf
        if weighting.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if hasattr(weighting, "idf_"):
            counts.data *= weighting.idf_[counts.indices]
        if weighting.norm == "l2":
            inplace_csr_row_normalize_l2(counts)
        return counts


class FastFeatures:
    """`feature_union(text)`'s transform without the FeatureUnion, joblib and per-head validation.

    Inference only, derived from a fitted union (never pickled): the vectoriser, the stacked heads
    and `cue_matrix` run in the union's order and the blocks are stacked once, giving the same
    matrix as `union.transform`.
    """

    def __init__(self, text: TextFeatures):
        self.vectorizer = WordCounts.of(text.vectorizer) or text.vectorizer
        self.word_weight = text.word_weight
        self.heads = StackedHeads(text.heads) if text.heads else None
        self.knowledge = getattr(text, "knowledge", None)

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
        if self.knowledge is not None:
            blocks.append(sparse.csr_matrix(self.knowledge.scores(words)))
        blocks.append(cue_matrix(items))
        return sparse.hstack(blocks, format="csr")

"""The shared vocabulary and the auxiliary heads stacked as features of the page model.

Claim strength (direct causal vs correlational wording), health advice, and the vocabulary of
refuted claims are learnt from datasets whose labels mean something else than ours or carry style
shortcuts; as single scores weighed by the page model they can help without dictating. The heads
use the page model's own vocabulary, so a page is tokenised once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from model.features import SentenceInContext, word_vectorizer
from training import corpora

# head name -> the class whose probability becomes the feature
POSITIVE = {
    "direct_causal": "direct_causal",
    "advice": "strong_advice",
    "refuted_topic": "unsupported",
    "web_myth": "unsupported",
}


def aux_tasks(root: Path = corpora.SHARED_DATASETS) -> dict[str, list[tuple[str, str]]]:
    """(text, label) pairs per head: three from the shared corpora, `web_myth` from the own examples.

    The own examples (classic web misinformation vs reporting and page text) are another register
    than the dev pages; as a head they add that signal with a weight learnt on real pages. Test
    splits of the claim sets are left out so that bench/model_quality.py can report on them.
    """
    refuted = [
        (row["text"], _binary(row["label"]))
        for name in corpora.CLAIM_SETS
        for row in corpora.claims(name, root)
        if row.get("split") != "test"
    ]
    return {
        "direct_causal": corpora.claim_strength(root),
        "advice": corpora.advice(root),
        "refuted_topic": refuted,
        "web_myth": [(e.text, _binary(e.label)) for e in corpora.own_examples(tune=False)],
    }


def _binary(label: str) -> str:
    return "unsupported" if label == "unsupported" else "other"


def fit_vocabulary(
    tasks: dict[str, list[tuple[str, str]]], texts: Sequence[str]
) -> tuple[TfidfVectorizer, dict]:
    """One vectoriser over the training and auxiliary texts, and one logistic head per task."""
    everything = [SentenceInContext(t) for t in texts] + [
        SentenceInContext(text) for rows in tasks.values() for text, _ in rows
    ]
    vectorizer = word_vectorizer().fit(everything)
    heads = {}
    for name, rows in tasks.items():
        matrix = vectorizer.transform([SentenceInContext(text) for text, _ in rows])
        head = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")
        head.fit(matrix, [label for _, label in rows])
        heads[name] = (head, POSITIVE[name])
    return vectorizer, heads

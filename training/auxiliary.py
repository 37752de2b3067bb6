"""Auxiliary heads, fitted on other corpora and stacked as features of the page model.

Claim strength (direct causal vs correlational wording), health advice, and the vocabulary of
refuted claims are learnt from datasets whose labels mean something else than ours or carry style
shortcuts; as single scores weighed by the page model they can help without dictating.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.linear_model import LogisticRegression

from model.features import AuxScores, SentenceInContext, word_vectorizer
from training import corpora

# head name -> the class whose probability becomes the feature
POSITIVE = {"direct_causal": "direct_causal", "advice": "strong_advice", "refuted_topic": "unsupported"}


def aux_tasks(root: Path = corpora.SHARED_DATASETS) -> dict[str, list[tuple[str, str]]]:
    """(text, label) pairs per head, read from the shared corpora."""
    refuted = [
        (row["text"], "unsupported" if row["label"] == "unsupported" else "other")
        for name in corpora.CLAIM_SETS
        for row in corpora.claims(name, root)
    ]
    return {
        "direct_causal": corpora.claim_strength(root),
        "advice": corpora.advice(root),
        "refuted_topic": refuted,
    }


def fit_aux(tasks: dict[str, list[tuple[str, str]]]) -> AuxScores:
    """One vectoriser over all auxiliary texts, one logistic head per task."""
    if not tasks:
        return AuxScores()
    everything = [SentenceInContext(text) for rows in tasks.values() for text, _ in rows]
    vectorizer = word_vectorizer(min_df=2, max_features=30000).fit(everything)
    heads = {}
    for name, rows in tasks.items():
        matrix = vectorizer.transform([SentenceInContext(text) for text, _ in rows])
        head = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")
        head.fit(matrix, [label for _, label in rows])
        heads[name] = (head, POSITIVE[name])
    return AuxScores(vectorizer, heads)

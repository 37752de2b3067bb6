"""The shared vocabulary, the auxiliary heads and the refuted-claim stage of the page model.

Claim strength (direct causal vs correlational wording) and health advice are learnt from datasets
whose labels mean something else than ours; as single scores weighed by the page model they can
help without dictating. Which claims are false is the refuted-claim stage's (`training.knowledge`).
All of them use the page model's own vocabulary, so a page is tokenised once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from model.features import SentenceInContext, word_vectorizer
from model.knowledge import KnownClaims
from training import corpora
from training.knowledge import ClaimRows, Myth, fit_knowledge

# head name -> the class whose probability becomes the feature
POSITIVE = {"direct_causal": "direct_causal", "advice": "strong_advice", "web_myth": "unsupported"}


def aux_tasks(root: Path = corpora.SHARED_DATASETS) -> dict[str, list[tuple[str, str]]]:
    """(text, label) pairs per head: two from the shared corpora, `web_myth` from the own examples.

    The own examples (web wellness and remedy claims vs reporting and page text) are another
    register than the labelled pages; as a head they add that signal with a weight learnt on pages.
    """
    web = [
        (e.text, "unsupported" if e.label == "unsupported" else "other") for e in corpora.own_examples(False)
    ]
    return {"direct_causal": corpora.claim_strength(root), "advice": corpora.advice(root), "web_myth": web}


def fit_vocabulary(
    tasks: dict[str, list[tuple[str, str]]],
    texts: Sequence[str],
    myths: Sequence[Myth] = (),
    claims: ClaimRows | None = None,
) -> tuple[TfidfVectorizer, dict, KnownClaims | None]:
    """One vectoriser over the training, auxiliary and claim texts, one logistic head per task, and
    the refuted-claim stage when there are myths to know (`claims`: its head's rows)."""
    claims = claims or ClaimRows([], [], [])
    everything = [SentenceInContext(t) for t in [*texts, *claims.texts]] + [
        SentenceInContext(text) for rows in tasks.values() for text, _ in rows
    ]
    vectorizer = word_vectorizer().fit(everything)
    heads = {}
    for name, rows in tasks.items():
        matrix = vectorizer.transform([SentenceInContext(text) for text, _ in rows])
        head = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")
        head.fit(matrix, [label for _, label in rows])
        heads[name] = (head, POSITIVE[name])
    knowledge = fit_knowledge(vectorizer, myths, claims) if myths and any(claims.refuted) else None
    return vectorizer, heads, knowledge

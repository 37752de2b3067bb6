"""The myth flagger: learnt from myths against true statements and page sentences, cut held out."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from model.artifact import DEFAULT_MODEL_PATH, load_model
from model.features import SentenceInContext, TextFeatures, feature_union, word_vectorizer
from model.knowledge import KnownClaim
from training.data import Example
from training.knowledge import Myth, fit_knowledge, head_rows
from training.myth_flagger import MAX_TRUTHS_FLAGGED, fit_myth_flagger

TOPICS = ("garlic", "silver", "lemon", "tea", "salt", "onion", "honey", "mint", "kale", "beet")


def myths() -> list[Myth]:
    return [
        Myth(KnownClaim(f"{t.title()} cures cancer overnight.", "No.", "WHO", t), f"{t.title()} is a food.")
        for t in TOPICS
    ]


def pages() -> list[Example]:
    sentences = ["The council met on Tuesday.", "Rain is expected later.", "The mayor spoke to reporters."]
    return [
        Example(text, "neutral", "page", group=f"page{k}", before="", after="")
        for k in range(10)
        for text in sentences
    ]


def test_the_cut_keeps_true_statements_and_clean_pages_quiet() -> None:
    listed, page = myths(), pages()
    texts = [m.known.claim for m in listed] + [m.true_statement for m in listed] + [e.text for e in page]
    vectorizer = word_vectorizer(min_df=1).fit([SentenceInContext(t) for t in texts])
    stage = fit_knowledge(vectorizer, listed, head_rows(listed, []), folds=2)
    union = feature_union(TextFeatures(vectorizer, None, stage))
    flagger = fit_myth_flagger(Pipeline([("features", union), ("flag", LogisticRegression())]), listed, page)
    assert flagger.summary["held_out_truths_flagged"] <= MAX_TRUTHS_FLAGGED + 1e-9
    assert flagger.summary["held_out_clean_flags_per_100"] == 0
    assert 0 < flagger.cut <= 1


def test_shipped_model_puts_the_myth_cut_on_its_threshold() -> None:
    model = load_model(DEFAULT_MODEL_PATH)[0]
    assert model.myth_flagger is not None and 0 < model.myth_cut < 1
    [myth, news] = model.predict(
        ["Colloidal silver kills every virus in the body.", "The council met on Tuesday."]
    )
    assert myth.label == "unsupported" and news.label != "unsupported"
    assert np.isclose(model._myth_scale(np.array([model.myth_cut]))[0], model.threshold)

"""The refuted-claim stage: the shipped myth list, its loader, and what the stage scores."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from model.artifact import DEFAULT_MODEL_PATH, load_model
from model.features import SentenceInContext, word_vectorizer
from model.knowledge import FEATURES
from training.data import DataError
from training.knowledge import MYTHS_FILE, Myth, fit_knowledge, head_rows, load_myths

MYTHS = [
    ("vaccines_autism", "Vaccines cause autism.", "Vaccines do not cause autism.", "No link.", "WHO"),
    ("5g", "5G towers spread the coronavirus.", "Radio waves do not carry viruses.", "None.", "WHO"),
    ("detox", "Detox tea flushes toxins from the liver.", "The liver clears waste on its own.", "No.", "NHS"),
]


def myth_file(tmp_path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] | None = None) -> Path:
    path = tmp_path / "myths.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or ("topic", "myth", "true_statement", "consensus", "authority"))
        writer.writerows(rows)
    return path


def tiny_stage(tmp_path: Path):
    myths = load_myths(myth_file(tmp_path, MYTHS))
    rows = head_rows(myths, [("The weather was mild today.", "neutral")])
    texts = [*rows.texts, "The town opened a new library.", "There is no evidence of it in kids."]
    vectorizer = word_vectorizer(min_df=1).fit([SentenceInContext(t) for t in texts])
    return vectorizer, fit_knowledge(vectorizer, myths, rows, folds=0)


def test_shipped_myth_list_is_large_and_complete() -> None:
    myths = load_myths(MYTHS_FILE)
    assert len(myths) >= 300
    assert len({m.known.topic for m in myths}) >= 60
    assert all(m.known.consensus and m.known.source and m.true_statement for m in myths)


def test_a_myth_list_without_its_columns_is_refused_by_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="line 1: missing column"):
        load_myths(myth_file(tmp_path, [("x", "y")], header=("topic", "claim")))


def test_an_empty_myth_is_refused_by_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="line 3: empty myth"):
        load_myths(myth_file(tmp_path, [MYTHS[0], ("t", " ", "", "c", "a")]))


def test_myths_and_their_true_statements_train_the_head() -> None:
    myth = Myth(load_myths(MYTHS_FILE)[0].known, "True thing.")
    rows = head_rows([myth], [("A fine day.", "neutral"), ("Kale cures cancer.", "unsupported")])
    assert rows.refuted == [True, False, False, True]


def test_the_myths_are_also_scored_by_heads_that_never_saw_them(tmp_path: Path) -> None:
    myths = load_myths(myth_file(tmp_path, MYTHS * 2))
    rows = head_rows(myths, [("The weather was mild today.", "neutral")])
    vectorizer = word_vectorizer(min_df=1).fit([SentenceInContext(t) for t in rows.texts])
    stage = fit_knowledge(vectorizer, myths, rows, folds=2)
    assert set(stage.held_out_scores) == {t for m in myths for t in (m.known.claim, m.true_statement)}
    words = vectorizer.transform([SentenceInContext(myths[0].known.claim)])
    assert not np.allclose(stage.training_scores(words, [myths[0].known.claim]), stage.scores(words))


def test_stage_scores_a_paraphrase_near_its_myth_and_an_unrelated_sentence_far(tmp_path: Path) -> None:
    vectorizer, stage = tiny_stage(tmp_path)
    words = vectorizer.transform(
        [SentenceInContext(t) for t in ("Vaccines cause autism in kids.", "The library opened.")]
    )
    scores = stage.scores(words)
    assert scores.shape == (2, len(FEATURES))
    similar = FEATURES.index("similar_myth")
    assert scores[0, similar] > 0.5 > scores[1, similar]


def test_a_sentence_is_never_its_own_nearest_myth_but_the_reader_sees_it(tmp_path: Path) -> None:
    vectorizer, stage = tiny_stage(tmp_path)
    words = vectorizer.transform([SentenceInContext("Vaccines cause autism.")])
    assert stage.scores(words)[0, FEATURES.index("similar_myth")] < 0.999
    [(claim, cosine)] = stage.nearest(words)
    assert claim.claim == "Vaccines cause autism." and cosine == pytest.approx(1.0)


def test_a_denial_of_a_myth_is_marked(tmp_path: Path) -> None:
    vectorizer, stage = tiny_stage(tmp_path)
    texts = ("There is no evidence that detox tea flushes toxins.", "Detox tea flushes toxins fast.")
    scores = stage.scores(vectorizer.transform([SentenceInContext(t) for t in texts]))
    denied = FEATURES.index("denied_myth")
    assert scores[0, denied] > 0 and scores[1, denied] == 0


@pytest.fixture(scope="module")
def shipped():
    return load_model(DEFAULT_MODEL_PATH)[0]


def test_shipped_model_names_the_known_claim_it_matched(shipped) -> None:
    [prediction] = shipped.predict(["Vaccines cause autism."])
    assert prediction.label == "unsupported"
    assert prediction.match is not None and prediction.match["verdict"] == "false"
    assert prediction.reasons[0].startswith("resembles a claim rated false: ")
    assert prediction.match["consensus"] and prediction.match["source"]


def test_shipped_model_reasons_do_not_repeat_a_topic(shipped) -> None:
    texts = [
        "Apple cider vinegar detoxifies your liver and cures diabetes.",
        "Garlic cures the flu overnight.",
    ]
    for prediction in shipped.predict(texts):
        topics = [reason.split(":", 1)[0] for reason in prediction.reasons]
        assert len(topics) == len(set(topics)), prediction.reasons


def test_shipped_model_calls_nothing_supported_without_evidence(shipped) -> None:
    texts = ["Turmeric soothes joints.", "Massage relaxes muscles and lifts the mood."]
    assert all(p.label != "supported" for p in shipped.predict(texts))
    [with_study] = shipped.predict(
        ["In a randomized trial of 380 patients, massage eased pain, researchers found."]
    )
    assert with_study.label == "supported"


def test_shipped_stage_features_are_in_the_model(shipped) -> None:
    names = [n for n in shipped.feature_names if n.startswith("know:")]
    assert names == [f"know:{n}" for n in FEATURES]
    assert np.isfinite(shipped.probabilities([SentenceInContext("Vaccines cause autism.")])).all()

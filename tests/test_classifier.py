"""ClaimModel.predict: one calibrated prediction per sentence, labels follow the threshold, reasons."""

from __future__ import annotations

import csv
import pickle
import time

import numpy as np
import pytest

from model.artifact import DEFAULT_MODEL_PATH, load_model
from model.features import in_context
from model.types import LABELS, Prediction
from tests.tiny_model import tiny_model
from training.corpora import REPO_ROOT, article_sentences

PAGE = [
    "Detox foot pads pull toxins out of your body and boost your immune system.",
    "By Jane Doe",
    "In a randomized trial of 400 adults, the drug reduced migraines compared with placebo, "
    "the researchers reported in a journal.",
    "Sign up for our newsletter.",
]
FIXTURES = REPO_ROOT / ".." / "shared" / "fixtures"


def test_predict_returns_one_prediction_per_sentence():
    predictions = tiny_model().predict(PAGE)
    assert len(predictions) == len(PAGE)
    for p in predictions:
        assert isinstance(p, Prediction) and p.label in LABELS
        assert 0.0 <= p.probability <= 1.0
        assert (p.label == "unsupported") == (p.probability >= tiny_model().threshold)


def test_empty_page_gives_no_predictions():
    assert tiny_model().predict([]) == []


def test_detox_claim_scores_above_trial_report_and_byline():
    p = tiny_model().predict(PAGE)
    assert p[0].probability > p[2].probability
    assert p[0].probability > p[1].probability


def test_threshold_override_decides_the_label():
    model = tiny_model()
    assert all(p.label == "unsupported" for p in model.predict(PAGE, threshold=0.0))
    assert all(p.label != "unsupported" for p in model.predict(PAGE, threshold=1.01))


def test_flagged_sentences_carry_reasons_computed_from_their_words():
    flagged = tiny_model().predict(PAGE, threshold=0.0)[0]
    assert 1 <= len(flagged.reasons) <= 4
    assert all(isinstance(r, str) and r for r in flagged.reasons)
    assert any(cue in " ".join(flagged.reasons) for cue in ("toxins", "detox", "boost", "immune"))


def test_unflagged_sentences_have_no_reasons():
    assert all(p.reasons == () for p in tiny_model().predict(PAGE, threshold=1.01))


def test_predict_documents_matches_page_by_page_prediction():
    model = tiny_model()
    pages = [PAGE, PAGE[:2], []]
    assert model.predict_documents(pages) == [model.predict(page) for page in pages]


def test_neighbour_evidence_changes_the_score():
    model = tiny_model()
    claim = "Eating walnuts lowers cholesterol."
    alone = model.predict([claim])[0].probability
    with_study = model.predict([claim, "In a randomized trial of 300 adults published in a journal."])[0]
    assert with_study.probability < alone


def _shipped_predictions(fixture: str) -> list[tuple[str, Prediction]]:
    path = FIXTURES / fixture
    if not path.is_file():
        pytest.skip("../shared/fixtures not present")
    sentences = article_sentences(path.read_text(encoding="utf-8"))
    model, _ = load_model(DEFAULT_MODEL_PATH)
    return list(zip(sentences, model.predict(sentences), strict=True))


@pytest.mark.shared
def test_shipped_model_flags_the_toxins_seed_claim():
    flagged = [
        s for s, p in _shipped_predictions("seed_blog_unsupported_claims.txt") if p.label == "unsupported"
    ]
    assert any("excise toxins, including cancer cells" in s for s in flagged)


@pytest.mark.shared
def test_shipped_model_flags_the_immune_boost_seed_claim():
    flagged = [
        s for s, p in _shipped_predictions("seed_blog_unsupported_claims.txt") if p.label == "unsupported"
    ]
    assert any("boost the immune system by balancing" in s for s in flagged)


@pytest.mark.shared
def test_shipped_model_does_not_flag_the_randomized_trial():
    trial = [p for s, p in _shipped_predictions("seed_rct_news_report.txt") if "randomized trial of 380" in s]
    assert trial and trial[0].label != "unsupported"


# Advice, benefit and hype wording on pages about money, gadgets and games: written for this test,
# not taken from training/examples/off_topic.csv. The model shipped before those examples flagged 4.
OFF_TOPIC_PAGE = [
    "Before you quit your job, you should work out exactly how much you spend in a year.",
    "Our coaching program helps you break through the self-doubt that keeps your online business small.",
    "This mesh router will wipe out the dead spots in every corner of your house.",
    "Paying off your credit card in full each month protects you from the interest trap.",
    "The patch makes every boss fight smoother and stops the game from crashing on older consoles.",
    "Saving half of every paycheck takes incredible discipline, but it can transform your future.",
    "A good lock on your shed keeps thieves away and gives you real peace of mind.",
    "“It changed the way our whole team works,” the company's founder said.",
]


def test_shipped_model_does_not_flag_advice_and_hype_outside_health():
    model, _ = load_model(DEFAULT_MODEL_PATH)
    predictions = model.predict(OFF_TOPIC_PAGE)
    assert [s for s, p in zip(OFF_TOPIC_PAGE, predictions, strict=True) if p.label == "unsupported"] == []


def test_shipped_model_classifies_1000_sentences_quickly():
    model, _ = load_model(DEFAULT_MODEL_PATH)
    sentences = (PAGE * 250)[:1000]
    model.predict(sentences)
    started = time.perf_counter()
    model.predict(sentences)
    assert time.perf_counter() - started < 0.5  # the 100 ms target is a benchmark figure, not a test


def _labelled_pages(size: int = 25) -> list[list[str]]:
    """The shipped labelled examples as pages of `size` sentences (varied claims, reports, chatter)."""
    with open(REPO_ROOT / "training" / "examples" / "labelled.csv", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    return [texts[k : k + size] for k in range(0, len(texts), size)]


def _assert_same_predictions(fast: list[Prediction], slow: list[Prediction]) -> None:
    assert [(p.label, p.reasons) for p in fast] == [(p.label, p.reasons) for p in slow]
    np.testing.assert_allclose(
        [p.probability for p in fast], [p.probability for p in slow], rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize("which", ["shipped", "tiny"])
def test_fast_path_gives_the_sklearn_pipelines_predictions(which):
    model = load_model(DEFAULT_MODEL_PATH)[0] if which == "shipped" else tiny_model()
    items = [item for page in _labelled_pages() for item in in_context(page)]
    assert len(items) > 200
    fast_matrix = model._features(items, fast=True)
    slow_matrix = model.pipeline[:-1].transform(items)
    assert fast_matrix.shape == slow_matrix.shape and (fast_matrix != slow_matrix).nnz == 0
    slow_scores = model.pipeline.decision_function(items)
    slow = model.calibrator.predict_proba(slow_scores.reshape(-1, 1))[:, 1]
    if model.myth_flagger is not None:
        myth = model._myth_scale(model.myth_flagger.predict_proba(slow_matrix)[:, 1])
        slow = np.maximum(slow, myth * model._about_health(slow_matrix))
    np.testing.assert_allclose(model.probabilities(items), slow, rtol=1e-9, atol=1e-12)
    for threshold in (None, 0.0, 0.3, 1.01):
        _assert_same_predictions(
            model.predict_items(items, threshold), model.predict_items(items, threshold, fast=False)
        )


def test_fast_path_is_not_pickled_and_is_rebuilt_after_loading():
    model, _ = load_model(DEFAULT_MODEL_PATH)
    page = _labelled_pages()[0]
    before = model.predict(page)
    assert "_fast" in model.__dict__
    restored = pickle.loads(pickle.dumps(model))
    assert "_fast" not in restored.__dict__
    _assert_same_predictions(restored.predict(page), before)
    _assert_same_predictions(before, model.predict_items(in_context(page), fast=False))

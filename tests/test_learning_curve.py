"""The learning-curve bench measures what training measures, and its limit fit is right."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from bench.learning_curve import Curve, limits
from model.features import TextFeatures
from training.auxiliary import fit_vocabulary
from training.corpora import own_examples
from training.fit import Settings, out_of_fold_scores


def test_limits_recover_the_asymptote_of_either_form() -> None:
    sizes = [0, 7, 14, 21, 28]
    inverse = [0.1] + [0.4 - 0.7 / n for n in sizes[1:]]
    root = [0.1] + [0.45 - 0.4 / np.sqrt(n) for n in sizes[1:]]
    assert "AP = a - b/N: a 0.400 (RMS error 0.0000; at 10x the pages 0.398)" in limits(sizes, inverse)
    assert "AP = a - b/sqrt N: a 0.450 (RMS error 0.0000; at 10x the pages 0.426)" in limits(sizes, root)
    assert limits([0, 7], [0.1, 0.2]) == "needs two sizes above 0"


@pytest.fixture(scope="module")
def setup() -> tuple[list, TextFeatures, Settings]:
    # Every fourth own example is always in training, like the background; the rest are tuned on.
    examples = [e if i % 4 else replace(e, tune=False) for i, e in enumerate(own_examples(tune=True))]
    settings = Settings(folds=3)
    text = TextFeatures(*fit_vocabulary({}, [e.text for e in examples]), word_weight=settings.word_weight)
    return examples, text, settings


def test_all_pages_gives_the_training_commands_out_of_fold_ap(setup) -> None:
    examples, text, settings = setup
    tune, scores = out_of_fold_scores(examples, text, settings, progress=lambda message: None)
    expected = average_precision_score([examples[i].label == "unsupported" for i in tune], scores)
    curve = Curve(examples, text, settings)
    assert curve.average_precision(None, settings.seed, np.random.default_rng(0)) == pytest.approx(expected)


def test_fewer_pages_is_a_different_draw_each_time_but_reproducible(setup) -> None:
    examples, text, settings = setup
    curve = Curve(examples, text, settings)
    few = [curve.average_precision(10, 0, np.random.default_rng(draw)) for draw in (1, 1, 2)]
    assert few[0] == few[1]
    assert few[0] != few[2]

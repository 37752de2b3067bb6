"""A small ClaimModel trained on the shipped examples, shared by the model tests (about a second)."""

from __future__ import annotations

from functools import cache

from model.classifier import ClaimModel
from training.auxiliary import fit_vocabulary
from training.corpora import own_examples
from training.fit import Settings, fit_model


@cache
def tiny_model() -> ClaimModel:
    examples = own_examples(tune=True)
    model, _ = fit_model(examples, fit_vocabulary({}, [e.text for e in examples]), Settings(folds=3))
    return model

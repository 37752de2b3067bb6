"""The worker's model holder: what a load leaves for the garbage collector."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from model.artifact import DEFAULT_MODEL_PATH
from server.model_holder import ModelHolder


@pytest.fixture
def holder() -> Iterator[ModelHolder]:
    yield ModelHolder(DEFAULT_MODEL_PATH)
    gc.unfreeze()  # leave the test process's collector as it found it


def test_loading_moves_the_long_lived_heap_out_of_the_collectors_sight(holder: ModelHolder) -> None:
    assert gc.get_freeze_count() > 10_000  # the model, the libraries, the app


def test_a_reload_frees_the_model_it_replaces(holder: ModelHolder) -> None:
    old = weakref.ref(holder.scorer)
    holder.reload()
    assert old() is None and holder.scorer is not None
    assert gc.get_freeze_count() > 10_000

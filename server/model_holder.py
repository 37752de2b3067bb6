"""The model a worker serves, swapped whole on reload so a request never sees half a model.

A reload is validated in the worker that takes the request (a failure leaves the old model
serving and says why), then announced through a counter in shared memory that the gunicorn
master creates before it forks its workers: every other worker sees the new count on its next
request and loads the same file. So after a successful reload, no worker answers with the old
model, and no model is loaded per request.

After each load the heap is settled (`gc.freeze`): the model, the libraries and the app live as
long as the worker, and a full collection that walked them (about 100,000 objects, ~90 ms on the
benchmark machine) would land in the middle of some request as a latency spike.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
from pathlib import Path

from model.artifact import ModelError, load_model
from model.scoring import Scorer

log = logging.getLogger(__name__)
_generation = multiprocessing.Value("Q", 0)


class ModelHolder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._seen = _generation.value
        self._load()

    def _load(self) -> None:
        """Serve the configured file (ModelError leaves the current model), then settle the heap."""
        model, card = load_model(self.path)
        log.info("serving model %s version %s", card.get("name"), card.get("version"))
        self._scorer = Scorer(model, card)
        _settle_heap()

    @property
    def scorer(self) -> Scorer:
        if _generation.value != self._seen:
            self._follow()
        return self._scorer

    def _follow(self) -> None:
        """Load what another worker reloaded; on failure keep serving what this one has."""
        with self._lock:
            generation = _generation.value
            if generation == self._seen:
                return
            try:
                self._load()
            except ModelError as exc:
                log.error("another worker reloaded the model but this one cannot: %s", exc)
            self._seen = generation

    def reload(self) -> Scorer:
        """Load the configured file again; raises ModelError and keeps the old model on failure."""
        with self._lock:
            self._load()
            with _generation.get_lock():
                _generation.value += 1
                self._seen = _generation.value
        return self._scorer


def _settle_heap() -> None:
    """Collect, then move everything alive out of the cyclic collector's sight (`gc.freeze`).

    Later collections then only walk what requests create. Unfreezing first lets the collection
    free a model that a reload has just replaced.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()

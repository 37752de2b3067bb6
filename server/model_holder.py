"""The model a worker serves, swapped whole on reload so a request never sees half a model.

A failed reload leaves the old model serving and says why. Under gunicorn the worker that
took the reload request also asks the master (SIGHUP) to restart its siblings gracefully, so
every worker serves the new version; each loads it at start-up, never per request.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

from model.artifact import load_model
from model.scoring import Scorer

log = logging.getLogger(__name__)
GUNICORN_MASTER_ENV = "CREDIBILITY_GUNICORN_MASTER"


class ModelHolder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.scorer = self._load()

    def _load(self) -> Scorer:
        model, card = load_model(self.path)
        log.info("serving model %s version %s", card.get("name"), card.get("version"))
        return Scorer(model, card)

    def reload(self) -> Scorer:
        """Load the file at the configured path again; raises ModelError and keeps the old one."""
        with self._lock:
            self.scorer = self._load()
        _restart_sibling_workers()
        return self.scorer


def _restart_sibling_workers() -> None:
    master = os.environ.get(GUNICORN_MASTER_ENV)
    if master and master.isdigit() and int(master) == os.getppid():
        os.kill(int(master), signal.SIGHUP)

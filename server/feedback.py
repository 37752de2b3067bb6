"""Reader corrections, kept durably in SQLite and exportable as training rows.

WAL mode lets the workers write while an export reads; each submission is one transaction,
so an acknowledged correction survives a crash. Identical corrections (same page, sentence,
reader label and model label) are counted on one row rather than stored twice, so a reader
clicking twice cannot double a sentence's weight in retraining.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    model_label TEXT NOT NULL,
    probability REAL,
    model_version TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (url, text, label, model_label)
)
"""
_UPSERT = """
INSERT INTO feedback (url, text, label, model_label, probability, model_version, first_seen, last_seen)
VALUES (:url, :text, :label, :model_label, :probability, :model_version, :now, :now)
ON CONFLICT (url, text, label, model_label)
DO UPDATE SET count = count + 1, last_seen = :now, probability = excluded.probability,
              model_version = excluded.model_version
RETURNING id, count
"""


class FeedbackStoreError(RuntimeError):
    """The database cannot be opened or written; the message says which file and why."""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(_SCHEMA)
                db.execute("SELECT count(*) FROM feedback").fetchone()
                # A read-only file opens and reads fine and fails only on the first write, so make
                # one that changes nothing now rather than fail a reader's correction later.
                db.execute("DELETE FROM feedback WHERE id = -1")
                db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackStoreError(f"feedback database {self.path} is not usable: {exc}") from None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def add(self, record: dict[str, Any]) -> tuple[int, int]:
        """Store one correction; returns (row id, how many times it has now been sent)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            row_id, count = db.execute(_UPSERT, {**record, "now": now}).fetchone()
            db.execute("COMMIT")
        return row_id, count

    def rows(self) -> Iterator[dict[str, Any]]:
        with closing(self._connect()) as db:
            db.row_factory = sqlite3.Row
            yield from (dict(row) for row in db.execute("SELECT * FROM feedback ORDER BY id"))

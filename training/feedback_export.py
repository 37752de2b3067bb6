"""Turn readers' corrections (the server's feedback database) into a labelled training file.

The file has the columns the trainer reads (`text,label,source,weight`), so corrections join
the base corpora with a plain `--data` flag. When readers disagree about one sentence the
label with the most submissions wins; a tie is left out rather than guessed.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from server.feedback import FeedbackStore

FIELDS = ("text", "label", "source", "weight")


def resolve(rows: Iterable[dict]) -> tuple[list[dict], list[str]]:
    """(training rows, texts left out because readers were split evenly between labels)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        votes[row["text"]][row["label"]] += row["count"]
    resolved, ties = [], []
    for text, counts in votes.items():
        (label, top), *rest = counts.most_common()
        if rest and rest[0][1] == top:
            ties.append(text)
            continue
        resolved.append({"text": text, "label": label, "source": "feedback", "weight": top})
    return resolved, ties


def write_rows(rows: list[dict], out: Path) -> None:
    """Write CSV, or JSON Lines when `out` ends in .jsonl; atomically, so a reader never sees half."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
            if out.suffix.lower() == ".jsonl":
                stream.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            else:
                writer = csv.DictWriter(stream, fieldnames=FIELDS)
                writer.writeheader()
                writer.writerows(rows)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export_feedback(db: Path, out: Path) -> tuple[int, list[str]]:
    """Export the database at `db` to `out`; returns (rows written, tied texts left out)."""
    if not Path(db).is_file():
        raise FileNotFoundError(
            f"{db}: no feedback database here (set --db to the server's CREDIBILITY_FEEDBACK_DB)"
        )
    rows, ties = resolve(FeedbackStore(db).rows())
    write_rows(rows, out)
    return len(rows), ties

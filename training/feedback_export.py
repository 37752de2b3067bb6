"""Turn readers' corrections (the server's feedback database) into a labelled training file.

The file has the columns the trainer reads (`text,label,source,weight`), so corrections join
the base corpora with a plain `--data` flag. When readers disagree about one sentence the
label with the most submissions wins; a tie is left out rather than guessed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from server.feedback import FeedbackStore, FeedbackStoreError

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


def export_command(argv: list[str]) -> int:
    """`python -m training export-feedback`."""
    parser = argparse.ArgumentParser(
        prog="python -m training export-feedback",
        description="Write the readers' corrections stored by the server as labelled training data "
        "(text,label,source,weight; source is 'feedback', weight the number of readers who sent it). "
        "Then: python -m training --base --data FILE --out model/default.joblib",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("CREDIBILITY_FEEDBACK_DB", "var/feedback.sqlite3")),
        help="the server's feedback database (default: $CREDIBILITY_FEEDBACK_DB or var/feedback.sqlite3)",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="file to write: .csv, or .jsonl for JSON Lines"
    )
    args = parser.parse_args(argv)
    try:
        written, ties = export_feedback(args.db, args.out)
    except (OSError, FeedbackStoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written} labelled sentence(s) to {args.out}")
    for text in ties:
        print(f"left out (readers split evenly between labels): {text[:100]}", file=sys.stderr)
    return 0

"""Load and validate labelled sentences from CSV or JSON Lines files.

Every problem is reported as a DataError naming the file and line, before anything is trained or
written, because a silently skipped row or a typo'd label quietly changes what the model learns.
Columns: `text,label` required; `source`, `weight` and `doc` optional. Rows sharing a `doc` are
one page in reading order, so they become each other's neighbours (evidence context).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from model.types import LABELS

REQUIRED = ("text", "label")


class DataError(Exception):
    """A training file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    """One labelled sentence with its page neighbours; `group` keeps a page together in CV splits.

    `tune`: may calibrate and choose the threshold (real page sentences). `weak`: the label is a
    guess (unlabelled background called neutral), fine for the flagger, kept out of the stance model.
    `audit`: a labelled real page that cross-validation also holds out, only to count false alarms on
    its clean pages when choosing the threshold (another annotator than the tuning pages: it does
    not calibrate).
    """

    text: str
    label: str
    source: str
    weight: float = 1.0
    group: str = ""
    before: str = ""
    after: str = ""
    tune: bool = True
    weak: bool = False
    audit: bool = False


def load_files(paths: Sequence[Path], own_classes: bool = True) -> list[Example]:
    """All examples of all files; DataError on the first bad row, or, with `own_classes`, if the
    files alone hold only one class (without it the caller adds them to data that has the rest)."""
    examples = [example for path in paths for example in load_file(Path(path))]
    if own_classes:
        check_classes(examples, paths)
    return examples


def load_file(path: Path) -> list[Example]:
    """Examples of one CSV or JSONL file (chosen by extension: .jsonl/.json = JSON Lines)."""
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    rows = _jsonl_rows(path) if path.suffix.lower() in (".jsonl", ".json") else _csv_rows(path)
    records = [_validate(path, line, row) for line, row in rows]
    if not records:
        raise DataError(f"{path}: line 1: no data rows (need a header and at least one row)")
    return _with_neighbours(records)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if not header:
            raise DataError(f"{path}: line 1: the file is empty (expected a header row with text,label)")
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise DataError(f"{path}: line 1: missing column(s) {', '.join(missing)} (header: {header})")
        start = 2
        for row in reader:
            yield start, row
            start = reader.line_num + 1


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8-sig") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except ValueError as exc:
                raise DataError(f"{path}: line {line}: not valid JSON ({exc})") from exc
            if not isinstance(row, dict):
                raise DataError(f"{path}: line {line}: expected a JSON object")
            missing = [column for column in REQUIRED if column not in row]
            if missing:
                raise DataError(f"{path}: line {line}: missing column(s) {', '.join(missing)}")
            yield line, row


def _validate(path: Path, line: int, row: dict) -> tuple[int, dict]:
    where = f"{path}: line {line}"
    text = " ".join(str(row.get("text") or "").split())
    if not text:
        raise DataError(f"{where}: empty text")
    label = str(row.get("label") or "").strip().lower()
    if label not in LABELS:
        raise DataError(f"{where}: unknown label {row.get('label')!r} (expected one of {', '.join(LABELS)})")
    weight = _weight(where, row.get("weight"))
    source = str(row.get("source") or path.stem).strip()
    doc = str(row.get("doc") or "").strip()
    return line, {"text": text, "label": label, "weight": weight, "source": source, "doc": doc}


def _weight(where: str, raw) -> float:
    if raw is None or str(raw).strip() == "":
        return 1.0
    try:
        weight = float(raw)
    except ValueError as exc:
        raise DataError(f"{where}: weight {raw!r} is not a number") from exc
    if not weight > 0 or weight == float("inf"):
        raise DataError(f"{where}: weight must be a positive finite number, got {raw!r}")
    return weight


def _with_neighbours(records: list[tuple[int, dict]]) -> list[Example]:
    """Rows of the same `doc` see each other as neighbours in file order; others stand alone."""
    by_doc: dict[str, list[dict]] = {}
    position: dict[int, int] = {}
    for _, record in records:
        if record["doc"]:
            page = by_doc.setdefault(record["doc"], [])
            position[id(record)] = len(page)
            page.append(record)
    examples = []
    for line, record in records:
        group = f"{record['source']}:{record['doc'] or line}"
        before = after = ""
        if record["doc"]:
            page = by_doc[record["doc"]]
            i = position[id(record)]
            before = page[i - 1]["text"] if i > 0 else ""
            after = page[i + 1]["text"] if i + 1 < len(page) else ""
        examples.append(
            Example(record["text"], record["label"], record["source"], record["weight"], group, before, after)
        )
    return examples


def check_classes(examples: Sequence[Example], paths: Sequence[Path]) -> None:
    """The flagger needs both `unsupported` and something else to learn from."""
    labels = {example.label for example in examples}
    names = ", ".join(str(p) for p in paths)
    if "unsupported" not in labels or labels == {"unsupported"}:
        only = ", ".join(sorted(labels))
        raise DataError(
            f"{names}: lines 2-{len(examples) + 1}: only label(s) {only} present; "
            "training needs 'unsupported' rows and rows of at least one other label"
        )


def clean_page_sentences(examples: Sequence[Example]) -> list[bool]:
    """Which examples sit on a page (a group of more than one sentence) with no unsupported label."""
    sizes = Counter(e.group for e in examples)
    flagged = {e.group for e in examples if e.label == "unsupported"}
    return [sizes[e.group] > 1 and e.group not in flagged for e in examples]

"""Held-out metrics of a ClaimModel: per label, average precision, per source, confusion, worst errors.

The false-alarm rate on pages that carry no `unsupported` sentence is reported next to the usual
metrics because it is what readers of reputable pages notice first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, precision_recall_fscore_support

from model.classifier import ClaimModel
from model.types import LABELS
from training.data import Example, clean_page_sentences
from training.fit import items_of

WORST = 5


def evaluate(model: ClaimModel, examples: Sequence[Example], threshold: float | None = None) -> dict:
    """Metrics of `model` on `examples` at `threshold` (default: the model's)."""
    predictions = model.predict_items(items_of(examples), threshold)
    truth = [e.label for e in examples]
    predicted = [p.label for p in predictions]
    probability = np.array([p.probability for p in predictions])
    report = {
        "examples": len(examples),
        "threshold": model.threshold if threshold is None else threshold,
        **_binary(truth, predicted, probability),
        "per_label": _per_label(truth, predicted),
        "confusion": {
            "labels": list(LABELS),
            "matrix": confusion_matrix(truth, predicted, labels=list(LABELS)).tolist(),
        },
        "per_source": _per_source(examples, truth, predicted, probability),
        "clean_pages": _clean_pages(examples, predicted),
        "worst_false_alarms": _worst(examples, probability, truth, want_flag=False),
        "worst_misses": _worst(examples, probability, truth, want_flag=True),
    }
    return report


def _binary(truth: Sequence[str], predicted: Sequence[str], probability: np.ndarray) -> dict:
    y = np.array([t == "unsupported" for t in truth])
    flag = np.array([p == "unsupported" for p in predicted])
    hits = int((y & flag).sum())
    return {
        "unsupported_rate": round(float(y.mean()), 4) if len(y) else 0.0,
        "average_precision": round(float(average_precision_score(y, probability)), 4)
        if 0 < y.sum() < len(y)
        else None,
        "flagged": int(flag.sum()),
        "precision": round(hits / flag.sum(), 4) if flag.sum() else None,
        "recall": round(hits / y.sum(), 4) if y.sum() else None,
    }


def _per_label(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(LABELS), zero_division=0
    )
    return {
        label: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for label, p, r, f, s in zip(LABELS, precision, recall, f1, support, strict=True)
    }


def _per_source(examples, truth, predicted, probability) -> dict:
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        by_source[e.source].append(i)
    return {
        source: {
            "examples": len(rows),
            **_binary([truth[i] for i in rows], [predicted[i] for i in rows], probability[rows]),
        }
        for source, rows in sorted(by_source.items())
    }


def _clean_pages(examples, predicted) -> dict:
    """Flags per 100 sentences on pages (groups of >1 sentence) with no `unsupported` label."""
    clean = [i for i, on_clean_page in enumerate(clean_page_sentences(examples)) if on_clean_page]
    flags = sum(predicted[i] == "unsupported" for i in clean)
    return {
        "pages": len({examples[i].group for i in clean}),
        "sentences": len(clean),
        "flags": flags,
        "flags_per_100": round(100 * flags / len(clean), 2) if clean else None,
    }


def _worst(examples, probability, truth, want_flag: bool) -> list[dict]:
    """Highest-scored non-unsupported (false alarms) or lowest-scored unsupported (misses)."""
    rows = [i for i, t in enumerate(truth) if (t == "unsupported") == want_flag]
    rows.sort(key=lambda i: probability[i], reverse=not want_flag)
    return [
        {
            "probability": round(float(probability[i]), 3),
            "label": truth[i],
            "source": examples[i].source,
            "text": examples[i].text[:160],
        }
        for i in rows[:WORST]
    ]


def format_report(report: dict) -> str:
    """Plain-text rendering of `evaluate`'s result for the terminal."""
    lines = [
        f"held-out examples: {report['examples']}  threshold: {report['threshold']}",
        f"unsupported: AP {report['average_precision']} (base rate {report['unsupported_rate']})  "
        f"precision {report['precision']}  recall {report['recall']}  flagged {report['flagged']}",
        "per label:          precision  recall     f1  support",
    ]
    for label, m in report["per_label"].items():
        lines.append(
            f"  {label:<16} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['f1']:>6.3f} {m['support']:>8}"
        )
    lines.append("confusion (rows true, columns predicted: " + ", ".join(report["confusion"]["labels"]) + ")")
    for label, row in zip(report["confusion"]["labels"], report["confusion"]["matrix"], strict=True):
        lines.append(f"  {label:<12} " + " ".join(f"{v:>6}" for v in row))
    lines.append("per source:")
    for source, m in report["per_source"].items():
        lines.append(
            f"  {source:<28} n={m['examples']:<5} AP={m['average_precision']} P={m['precision']} "
            f"R={m['recall']} flagged={m['flagged']}"
        )
    clean = report["clean_pages"]
    lines.append(
        f"pages with no unsupported label: {clean['pages']}, flags per 100 sentences: "
        f"{clean['flags_per_100']}"
    )
    for title, key in (("worst false alarms", "worst_false_alarms"), ("worst misses", "worst_misses")):
        lines.append(f"{title}:")
        lines += [f"  {e['probability']:.3f} [{e['label']}] {e['text']}" for e in report[key]]
    return "\n".join(lines)

"""How a retrained model differs from the one it replaces, on one fixed evaluation set.

Retraining on readers' corrections should fix the corrected sentences without quietly breaking
others; per-label metrics before and after, and the list of sentences whose label flipped, show
both at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.classifier import ClaimModel
from model.types import LABELS
from training.data import Example
from training.evaluate import evaluate
from training.fit import items_of

MAX_FLIPS_SHOWN = 20


def compare(old: ClaimModel, new: ClaimModel, examples: Sequence[Example]) -> dict:
    """Per-label metrics of both models and the sentences whose predicted label changed."""
    items = items_of(examples)
    before, after = old.predict_items(items), new.predict_items(items)
    flips = [
        {"text": e.text, "label": e.label, "before": b.label, "after": a.label}
        for e, b, a in zip(examples, before, after, strict=True)
        if b.label != a.label
    ]
    return {
        "examples": len(examples),
        "before": evaluate(old, examples)["per_label"],
        "after": evaluate(new, examples)["per_label"],
        "flips": flips,
    }


def format_comparison(result: dict) -> str:
    lines = [
        f"before -> after on {result['examples']} evaluation sentences",
        "  label        precision        recall            f1",
    ]
    for label in LABELS:
        b, a = result["before"][label], result["after"][label]
        cells = "  ".join(f"{b[m]:.3f} -> {a[m]:.3f}" for m in ("precision", "recall", "f1"))
        lines.append(f"  {label:<12} {cells}")
    flips = result["flips"]
    lines.append(f"{len(flips)} sentence(s) changed label" + (":" if flips else ""))
    for flip in flips[:MAX_FLIPS_SHOWN]:
        mark = (
            "fixed"
            if flip["after"] == flip["label"]
            else ("broken" if flip["before"] == flip["label"] else "changed")
        )
        lines.append(
            f"  [{mark}] {flip['before']} -> {flip['after']} (labelled {flip['label']}): {flip['text'][:120]}"
        )
    if len(flips) > MAX_FLIPS_SHOWN:
        lines.append(f"  ... and {len(flips) - MAX_FLIPS_SHOWN} more")
    return "\n".join(lines)

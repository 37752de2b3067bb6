"""Quality of the shipped claim model against the naive baseline, measured in the same run.

Figures: the untouched holdout articles of page_sentences_dev (never trained or tuned on), the
dev-train articles (in-sample for the shipped model, shown for contrast only), and each shared
claim corpus's test split; and, unlabelled, how often each flags sentences on the pages of 126 other
news and blog sites (the extraction benchmark's English pages, mostly not about health, so those
flags are mostly false alarms). The baseline is the issue's anchor: TF-IDF + logistic regression on
every claims.csv (unsupported vs the rest; test splits left out here so its test figures are fair),
flagging at probability 0.5. Also the speed of 1,000 sentences, load time and artifact size.
Also the recovery_other_sites articles (real 2020 news and misinformation pages: the 15 untouched
ones and the 15 tuned on), and the written test list of 100 health myths and 100 true statements
of the same shape (`bench/data/health_myths_test.csv`, written apart from the training myth list).
With `--previous PATH` the model it replaces is measured in the same run. Run from the repository
root (needs ../shared/datasets):

    python -m bench.model_quality [--previous PATH]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.pipeline import Pipeline, make_pipeline

from bench.machine import append_results, header, table
from bench.pages import MissingData, benchmark_pages, benchmark_urls
from model.artifact import DEFAULT_MODEL_PATH, load_model
from model.decode import decode_html
from model.scoring import Scorer, UnsupportedLanguage
from training import corpora
from training.data import Example
from training.evaluate import evaluate


def claim_test_sets() -> dict[str, list[Example]]:
    """Each claim corpus's `test` split (CoAID has none: all its rows, marked as such)."""
    sets = {}
    for name in corpora.CLAIM_SETS:
        rows = corpora.claims(name)
        test = [r for r in rows if r.get("split") == "test"] or rows
        label = name if any(r.get("split") == "test" for r in rows) else f"{name} (no split: all rows)"
        sets[label] = [Example(r["text"], r["label"], name, group=f"{name}:{i}") for i, r in enumerate(test)]
    return sets


def baseline() -> Pipeline:
    rows = [r for name in corpora.CLAIM_SETS for r in corpora.claims(name) if r.get("split") != "test"]
    model = make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2), LogisticRegression(max_iter=2000))
    return model.fit([r["text"] for r in rows], [r["label"] == "unsupported" for r in rows])


def baseline_report(model: Pipeline, examples: Sequence[Example]) -> dict:
    """The same binary figures as `evaluate`, for a text-only unsupported-vs-rest classifier at 0.5."""
    y = np.array([e.label == "unsupported" for e in examples])
    probability = model.predict_proba([e.text for e in examples])[:, 1]
    flag = probability >= 0.5
    clean_groups = {e.group for e in examples} - {e.group for e in examples if e.label == "unsupported"}
    clean = np.array([e.group in clean_groups for e in examples])
    paged = len({e.group for e in examples}) < len(examples)
    return {
        "average_precision": round(float(average_precision_score(y, probability)), 3)
        if 0 < y.sum() < len(y)
        else None,
        "unsupported_rate": round(float(y.mean()), 3),
        "precision": round(float(y[flag].mean()), 3) if flag.any() else None,
        "recall": round(float(flag[y].mean()), 3) if y.any() else None,
        "flagged": int(flag.sum()),
        "clean_flags_per_100": round(100 * float(flag[clean].mean()), 2) if paged and clean.any() else None,
    }


def ours(report: dict) -> dict:
    clean = report["clean_pages"]
    return {
        "average_precision": report["average_precision"],
        "unsupported_rate": report["unsupported_rate"],
        "precision": report["precision"],
        "recall": report["recall"],
        "flagged": report["flagged"],
        "clean_flags_per_100": clean["flags_per_100"] if clean["pages"] else None,
    }


def row(name: str, who: str, m: dict, n: int) -> list[str]:
    show = lambda v: "–" if v is None else str(v)  # noqa: E731
    return [
        name,
        who,
        str(n),
        show(m["unsupported_rate"]),
        show(m["average_precision"]),
        show(m["precision"]),
        show(m["recall"]),
        str(m["flagged"]),
        show(m["clean_flags_per_100"]),
    ]


def speed(model) -> tuple[float, float]:
    """(median ms for one 1,000-sentence page, seconds to load the artifact)."""
    sentences = [e.text for e in corpora.page_dev("holdout")]
    page = (sentences * (1000 // len(sentences) + 1))[:1000]
    model.predict(page)
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        model.predict(page)
        runs.append(1000 * (time.perf_counter() - started))
    started = time.perf_counter()
    load_model(DEFAULT_MODEL_PATH)
    return float(np.median(runs)), time.perf_counter() - started


def other_sites(scorer: Scorer, naive: Pipeline) -> list[str]:
    """Flags per 100 sentences on real pages of other sites, for the model and the baseline.

    Nothing there is labelled, and most pages are about money, games, gadgets or politics: a
    health-claim flag on them is almost always a false alarm, which is what readers complain of
    first. Every flagged page is listed so a reader can judge which are about health.
    """
    try:
        pages, urls = benchmark_pages(), benchmark_urls()
    except MissingData as missing:
        return [f"Other sites: skipped ({missing})"]
    sentences = ours_flags = naive_flags = 0
    per_page = []
    for page_id, raw in pages:
        try:
            scored = scorer.score_html(decode_html(raw), include_all=True)["claims"]
        except UnsupportedLanguage:
            continue
        flags = sum(claim["label"] == "unsupported" for claim in scored)
        texts = [claim["text"] for claim in scored]
        sentences += len(texts)
        ours_flags += flags
        naive_flags += int((naive.predict_proba(texts)[:, 1] >= 0.5).sum()) if texts else 0
        per_page.append((flags, urls.get(page_id, page_id)))
    per_page.sort(reverse=True)
    flagged = ", ".join(f"{url} ({flags})" for flags, url in per_page if flags)
    return [
        f"Other sites, unlabelled ({len(per_page)} English pages of the extraction benchmark, "
        f"{sentences} sentences): model {ours_flags} flags ({100 * ours_flags / sentences:.2f} per 100 "
        f"sentences, on {sum(flags > 0 for flags, _ in per_page)} pages), baseline {naive_flags} "
        f"({100 * naive_flags / sentences:.2f} per 100)",
        f"Pages the model flags, most first: {flagged or 'none'}",
    ]


MYTH_TEST_FILE = Path(__file__).resolve().parent / "data" / "health_myths_test.csv"
# The issue's six sentences, as a new user typed them.
ISSUE_SENTENCES = (
    "Vaccines cause autism.",
    "Drinking bleach cures COVID-19.",
    "5G towers spread the coronavirus.",
    "Garlic cures the flu overnight.",
    "Colloidal silver kills every virus in the body.",
    "Apple cider vinegar detoxifies your liver and cures diabetes.",
)


def myth_list(models: dict[str, object], naive: Pipeline) -> list[str]:
    """Myths and true statements flagged, each sentence scored alone as `{"text": ...}` would be."""
    with open(MYTH_TEST_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [r["text"] for r in rows]
    is_myth = np.array([r["label"] == "myth" for r in rows])
    lines = [
        f"Written myth test list ({is_myth.sum()} myths, {(~is_myth).sum()} true statements, "
        "one sentence each):",
        "",
    ]
    for who, model in models.items():
        flag = np.array([p[0].label == "unsupported" for p in model.predict_documents([[t] for t in texts])])
        six = sum(model.predict([t])[0].label == "unsupported" for t in ISSUE_SENTENCES)
        lines.append(
            f"- {who}: myths flagged {int(flag[is_myth].sum())}, true statements flagged "
            f"{int(flag[~is_myth].sum())}; the issue's six sentences flagged {six} of 6"
        )
    flag = naive.predict_proba(texts)[:, 1] >= 0.5
    lines.append(
        f"- baseline: myths flagged {int(flag[is_myth].sum())}, "
        f"true statements flagged {int(flag[~is_myth].sum())}"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.model_quality", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--previous", type=Path, metavar="PATH", help="the model this one replaces, measured alongside"
    )
    args = parser.parse_args(argv)
    if not corpora.shared_available():
        print("../shared/datasets not present: nothing to measure", file=sys.stderr)
        return 1
    model, card = load_model(DEFAULT_MODEL_PATH)
    models = {"model": model}
    if args.previous:
        models["previous model"] = load_model(args.previous)[0]
    naive = baseline()
    sets = {
        "dev holdout (15 articles, untouched)": corpora.page_dev("holdout"),
        "recovery holdout (15 articles, untouched)": corpora.recovery_dev("holdout"),
        "recovery tune (15 articles, tuned on)": corpora.recovery_dev("tune"),
        "dev train (35 articles, in-sample)": corpora.page_dev("train"),
        **claim_test_sets(),
    }
    rows, holdout_report = [], None
    for name, examples in sets.items():
        for who, each in models.items():
            report = evaluate(each, examples)
            holdout_report = holdout_report or report
            rows.append(row(name, who, ours(report), len(examples)))
        rows.append(row(name, "baseline", baseline_report(naive, examples), len(examples)))
    ms, load_s = speed(model)
    columns = [
        "data",
        "who",
        "n",
        "base rate",
        "AP",
        "precision",
        "recall",
        "flagged",
        "flags/100 clean pages",
    ]
    per_label = [
        [label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"])]
        for label, m in holdout_report["per_label"].items()
    ]
    lines = [
        *header("Model quality", "python -m bench.model_quality"),
        f"- model: {card['version']} (threshold {model.threshold}, {card['size_bytes'] / 1e6:.1f} MB); "
        "baseline: TF-IDF + LR on claims.csv non-test rows, threshold 0.5",
        f"- speed: {ms:.1f} ms per 1,000 sentences (median of 7), load {load_s:.2f} s",
        "",
        *table(columns, rows),
        "",
        "Dev holdout, model, per label:",
        "",
        *table(["label", "precision", "recall", "f1", "support"], per_label),
        "",
        "Dev holdout confusion (rows true, columns predicted "
        f"{', '.join(holdout_report['confusion']['labels'])}): {holdout_report['confusion']['matrix']}",
        "",
        *myth_list(models, naive),
        "",
        *other_sites(Scorer(model, card), naive),
    ]
    print("\n".join(lines))
    append_results("model_quality", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

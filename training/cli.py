"""The `python -m training` command: load and validate data, fit, evaluate held out, write the artifact.

Training is the default action (`python -m training --data FILE --out PATH`); named subcommands
are dispatched on the first argument through `SUBCOMMANDS`, so adding one (for example
`export-feedback`) is one function and one entry, without disturbing the default action.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from model.artifact import DEFAULT_MODEL_PATH, ModelError, load_model, save_model
from model.classifier import ClaimModel
from training import corpora
from training.auxiliary import aux_tasks, fit_vocabulary
from training.compare import compare, format_comparison
from training.data import DataError, Example, check_classes, load_files
from training.evaluate import evaluate, format_report
from training.feedback_export import export_command
from training.fit import Settings, fit_model
from training.knowledge import MYTHS_FILE, Myth, head_rows, load_myths

SUBCOMMANDS: dict[str, Callable[[list[str]], int]] = {"export-feedback": export_command}
# Even odds of the calibrated probability: the own examples alone cannot tune a precision target.
OWN_EXAMPLES_THRESHOLD = 0.5
# Group prefix of the examples read from --data files (compared before/after retraining).
ADDED = "added:"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description=(
            "Train the claim classifier and write it with its model card. Without --data, trains the "
            "default model from ../shared/datasets when present (dev-train pages, the project's labelled "
            "pages, own and off-topic examples, background sentences, auxiliary heads), otherwise from "
            "training/examples/labelled.csv and off_topic.csv."
        ),
        epilog="Subcommands: "
        + (", ".join(sorted(SUBCOMMANDS)) or "none yet")
        + " (python -m training NAME --help).",
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        metavar="FILE",
        help="labelled CSV or JSONL (.jsonl) with columns text,label and optional source,weight,doc "
        "(rows sharing a doc are one page in order); repeat for several files",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="PATH",
        help="model file to write (.joblib); the card is written beside it as <stem>.card.json "
        "(default: var/models/<UTC date and time>.joblib in the project, outside the source tree; "
        "serve it with credibility-server --model-path PATH)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write the model even when it is worse on the held-out report than the one it replaces "
        "(the model at --out, else the shipped one): by default such a model is refused, exit status 3",
    )
    parser.add_argument(
        "--holdout",
        type=float,
        default=0.2,
        metavar="FRACTION",
        help="with --data: fraction of groups (docs, or rows) held out for evaluation (default 0.2)",
    )
    parser.add_argument(
        "--target-precision",
        type=float,
        default=Settings.target_precision,
        metavar="P",
        help="the threshold is the lowest one reaching this out-of-fold precision (default %(default)s)",
    )
    parser.add_argument(
        "--max-clean-flags",
        type=float,
        default=Settings.max_clean_flags,
        metavar="N",
        help="the threshold must also flag at most N of every 100 sentences, out of fold, on labelled pages "
        "(docs of more than one row) with no unsupported sentence, when one can (default %(default)s)",
    )
    parser.add_argument(
        "--base-rate",
        type=float,
        default=None,
        metavar="RATE",
        help="the fraction of unsupported sentences on the pages the model will score: probabilities "
        "and the threshold's precision are made right for it (use when your tuning data's rate is far "
        "from real pages'; default: "
        f"{corpora.REAL_PAGE_BASE_RATE} for the default mix, whose tuning pages have twice the rate of "
        "real pages, as given for --data files)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="T",
        help="decision threshold on the calibrated probability instead of the out-of-fold choice "
        f"(default: chosen out of fold; {OWN_EXAMPLES_THRESHOLD} when training from the own examples alone, "
        "whose balanced classes say little about precision on real pages)",
    )
    parser.add_argument(
        "--claims",
        type=Path,
        action="append",
        metavar="FILE",
        help="more known refuted claims, a CSV with the columns of training/examples/health_myths.csv "
        "(topic,myth,true_statement,consensus,authority; myth and consensus required): added to the "
        "refuted-claim stage, whose matched myth is shown to readers; repeat for several files",
    )
    parser.add_argument(
        "--no-aux",
        action="store_true",
        help="do not train the auxiliary heads (claim strength, advice, web myths from the own examples) "
        "even when ../shared is present",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed for the held-out split and the cross-validation folds (default 0)",
    )
    parser.add_argument(
        "--base",
        action="store_true",
        help="also train on the default mix (what the model is trained on without --data) and evaluate on "
        "its held-out set; use it to add readers' corrections (see export-feedback) to the base corpora",
    )
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="SOURCE=W",
        help="multiply the weight of every example from SOURCE (the `source` column, else the file's "
        "name without extension) by W; repeat for several sources, e.g. --weight feedback=5",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the final report, no progress")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]](argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.holdout < 1:
        parser.error(f"--holdout must be at least 0 and below 1, got {args.holdout}")
    started = time.perf_counter()

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    try:
        train, held_out, description, base_rate = _load(args, progress)
        train = reweight(train, parse_weights(args.weight))
        added = [e for e in train if e.group.startswith(ADDED)]
        threshold = args.threshold
        if threshold is None and (args.base or not args.data) and not corpora.shared_available():
            threshold = OWN_EXAMPLES_THRESHOLD
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    tasks = _aux_tasks(args, progress)
    try:
        myths = _myths(args, progress)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    progress("fitting the vocabulary, auxiliary heads and refuted-claim stage")
    own = corpora.own_examples(tune=False) + corpora.off_topic() + _news_sentences(train)
    claims = head_rows(myths, [(e.text, e.label) for e in own])
    vocabulary = fit_vocabulary(tasks, [e.text for e in train], myths, claims)
    settings = Settings(
        target_precision=args.target_precision,
        max_clean_flags=args.max_clean_flags,
        seed=args.seed,
        base_rate=base_rate,
        threshold=threshold,
    )
    model, summary = fit_model(train, vocabulary, settings, progress, myths)
    progress(f"evaluating on {len(held_out)} held-out examples")
    report = evaluate(model, held_out) if held_out else None
    if report:
        print(format_report(report))
    card = {
        "data": {"description": description, "train": _counts(train), "held_out": _counts(held_out)},
        "auxiliary_heads": {name: len(rows) for name, rows in tasks.items()},
        "training": summary,
        "metrics": {"held_out": _card_metrics(report)},
    }
    out = args.out or default_out()
    # The model this one replaces: the file at --out, or, for a new file under var/models, the
    # shipped model that is served until the server is pointed at the new one.
    replaced = out if out.is_file() else (DEFAULT_MODEL_PATH if args.out is None else None)
    previous = _previous_model(replaced, progress) if replaced else None
    if previous is not None and held_out + added:
        # The held-out set, plus the --data files' own sentences, so corrections show as flips.
        print(format_comparison(compare(previous, model, held_out + added)))
    worse = worse_than(evaluate(previous, held_out), report) if previous is not None and report else []
    if worse:
        print("the new model is worse on the held-out report than the one it replaces:", *worse, sep="\n  ")
        if not args.force:
            print(f"error: not written to {out} (pass --force to write it anyway)", file=sys.stderr)
            return 3
    written = save_model(model, out, card)
    progress(f"wrote {out} ({written['size_bytes'] / 1e6:.1f} MB, sha256 {written['sha256'][:12]}) + card")
    return 0


# How much worse a retrain may be on the held-out report before it is refused: room for the noise
# of a few flags, not for a model that flags sound pages more or is less often right.
PRECISION_SLACK = 0.02
CLEAN_FLAGS_SLACK = 0.25


def default_out() -> Path:
    """A new file under var/models, named by the time of training."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return corpora.REPO_ROOT / "var" / "models" / f"{stamp}.joblib"


def worse_than(old: dict, new: dict) -> list[str]:
    """In words, where `new` is worse than `old` on the report readers feel: precision at the
    threshold and flags on pages with nothing unsupported."""
    problems = []
    if old["precision"] is not None and (new["precision"] or 0.0) < old["precision"] - PRECISION_SLACK:
        problems.append(f"precision at the threshold {old['precision']} -> {new['precision']}")
    before, after = old["clean_pages"]["flags_per_100"], new["clean_pages"]["flags_per_100"]
    if old["clean_pages"]["pages"] and after > before + CLEAN_FLAGS_SLACK:
        problems.append(f"flags per 100 sentences of clean pages {before} -> {after}")
    return problems


def _load(args, progress) -> tuple[list[Example], list[Example], str, float | None]:
    """Training and held-out examples, a description for the card, and the base rate for the threshold."""
    real_pages = corpora.REAL_PAGE_BASE_RATE if args.base_rate is None else args.base_rate
    if args.data and args.base:
        progress(f"loading the default mix and {len(args.data)} file(s)")
        train, held_out = corpora.default_mix()
        # One correction of one kind is enough here: the base mix supplies the other labels.
        extra = [
            replace(e, tune=False, group=ADDED + e.group) for e in load_files(args.data, own_classes=False)
        ]
        return (
            train + extra,
            held_out,
            f"default mix + {', '.join(str(p) for p in args.data)}",
            real_pages,
        )
    if args.data:
        progress(f"loading {len(args.data)} file(s)")
        examples = [replace(e, group=ADDED + e.group) for e in load_files(args.data)]
        train, held_out = split_groups(examples, args.holdout, args.seed)
        check_classes(train, args.data)
        return (
            train,
            held_out,
            f"user files: {', '.join(str(p) for p in args.data)} (held out: {args.holdout:.0%} of groups)",
            args.base_rate,
        )
    if corpora.shared_available():
        progress("loading the default mix from ../shared/datasets")
        train, held_out = corpora.default_mix()
        return (
            train,
            held_out,
            "default mix: page_sentences_dev train articles, recovery_other_sites tune articles, the "
            "project's labels for the other 106 recovery_other_sites articles "
            "(training/examples/recovery_labels.csv), for 240 more FakeHealth articles "
            "(training/examples/fakehealth_second_reader.csv) and 16 FakeHealth wellness articles "
            "(training/examples/fakehealth_wellness.csv), own examples, off-topic sentences, the myth "
            "list (training/examples/health_myths.csv), FakeHealth background; held out: dev holdout "
            "and recovery holdout articles",
            real_pages,
        )
    progress("../shared/datasets not found: training from the project's own examples")
    train, held_out = corpora.default_mix()
    description = (
        "own examples (training/examples/labelled.csv), a seeded fifth held out, and off-topic "
        "sentences (training/examples/off_topic.csv)"
    )
    return train, held_out, description, args.base_rate


def parse_weights(specs: Sequence[str]) -> dict[str, float]:
    """`SOURCE=W` pairs; a malformed one is a DataError naming it, before anything is trained."""
    weights = {}
    for spec in specs:
        source, _, raw = spec.partition("=")
        try:
            weight = float(raw)
        except ValueError:
            weight = -1.0
        if not source or not weight > 0:
            raise DataError(f"--weight {spec!r}: expected SOURCE=W with a positive number W")
        weights[source] = weight
    return weights


def reweight(examples: list[Example], weights: dict[str, float]) -> list[Example]:
    if not weights:
        return examples
    return [replace(e, weight=e.weight * weights[e.source]) if e.source in weights else e for e in examples]


def _previous_model(path: Path, progress) -> ClaimModel | None:
    """The model about to be replaced, to report what changed; None if there is none or it won't load."""
    if not Path(path).is_file():
        return None
    try:
        model = load_model(path)[0]
    except ModelError as exc:
        progress(f"not comparing with the previous model: {exc}")
        return None
    try:
        model.predict(["Garlic cures the flu."])
    except Exception as exc:  # a model pickled by other code of the project: its layout differs
        progress(f"not comparing with the previous model: it cannot score with this code ({exc})")
        return None
    return model


def split_groups(examples: list[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Hold out whole groups (pages), so no page is both trained and evaluated on."""
    groups = sorted({e.group for e in examples})
    held = set(random.Random(seed).sample(groups, int(len(groups) * fraction)))
    return [e for e in examples if e.group not in held], [e for e in examples if e.group in held]


def _aux_tasks(args, progress) -> dict[str, list[tuple[str, str]]]:
    if args.no_aux or not corpora.shared_available():
        return {}
    progress("loading auxiliary tasks (claim strength, advice, web myths)")
    return aux_tasks()


def _news_sentences(train: Sequence[Example]) -> list[Example]:
    """Health news sentences the page model does not train on, as `neutral` rows of the refuted-
    claim head: without them it reads most health wording as a myth's, and its scores would fire
    on every news page."""
    if not corpora.shared_available():
        return []
    seen = {e.text for e in train}
    sample = corpora.background(count=2 * corpora.BACKGROUND_SENTENCES, seed=11)
    return [e for e in sample if e.text not in seen][: corpora.BACKGROUND_SENTENCES]


def _myths(args, progress) -> list[Myth]:
    """The shipped myth list and any --claims files, in that order."""
    paths = [MYTHS_FILE, *(args.claims or [])]
    myths = [myth for path in paths for myth in load_myths(path)]
    progress(f"known refuted claims: {len(myths)} from {len(paths)} list(s)")
    return myths


def _counts(examples: Sequence[Example]) -> dict:
    by_source: dict[str, Counter] = {}
    for e in examples:
        by_source.setdefault(e.source, Counter())[e.label] += 1
    return {source: dict(sorted(c.items())) for source, c in sorted(by_source.items())}


def _card_metrics(report: dict | None) -> dict | None:
    """Metrics without the example texts (the card is published; dataset rows are not)."""
    if report is None:
        return None
    return {k: v for k, v in report.items() if k not in ("worst_false_alarms", "worst_misses")}

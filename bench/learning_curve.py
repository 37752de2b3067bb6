"""Would more labelled pages help? Out-of-fold quality of the flagger against the pages it learns from.

The shipped model misses the issue's AP target, and "label more pages" is the obvious remedy. This
measures whether it would work: the 35 dev-train articles are split into 5 folds by article, as in
training; within each fold the flagger is fitted on only N of the other articles (plus everything
that is not tuned on: the own examples, the project's labelled FakeHealth pages and the background,
which are always in), and scored on the held-out fold's articles.
AP is averaged over fold seeds and random choices of the N articles. A curve still climbing at the
right end means more pages of the same kind pay; a flat one means they do not.

Two saturating forms, AP = a - b / N and AP = a - b / sqrt(N), are fitted to the means, and their
`a` (the AP this model would approach with unlimited pages like these) is printed. The holdout
articles are not used. Run from the repository root (needs ../shared/datasets; a few minutes):

    python -m bench.learning_curve
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from scipy import sparse
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedGroupKFold

from bench.machine import header, publish, table
from model.features import TextFeatures, feature_union
from training import corpora
from training.auxiliary import aux_tasks, fit_vocabulary
from training.data import Example
from training.fit import Settings, flagger, items_of


class Curve:
    """The dev-train examples as one feature matrix, and out-of-fold AP for a number of training pages.

    The features carry no labels (the vocabulary and the auxiliary heads are fitted once, as in
    training), so the matrix is built once and only the flagger is refitted per fold.
    """

    def __init__(self, examples: list[Example], text: TextFeatures, settings: Settings):
        self.settings = settings
        self.matrix = sparse.csr_matrix(feature_union(text).transform(items_of(examples)))
        self.y = np.array([e.label == "unsupported" for e in examples])
        self.weight = np.array([e.weight for e in examples])
        self.tune = np.array([i for i, e in enumerate(examples) if e.tune])
        self.fixed = np.array([i for i, e in enumerate(examples) if not e.tune])
        self.groups = np.array([examples[i].group for i in self.tune])

    def pages(self) -> int:
        return len(set(self.groups))

    def average_precision(self, pages: int | None, fold_seed: int, rng: np.random.Generator) -> float:
        """Out-of-fold AP when each fold trains on `pages` random other articles (None: all of them)."""
        folds = StratifiedGroupKFold(n_splits=self.settings.folds, shuffle=True, random_state=fold_seed)
        scores = np.zeros(len(self.tune))
        for train, test in folds.split(self.tune, self.y[self.tune], self.groups):
            articles = sorted(set(self.groups[train]))
            chosen = articles if pages is None else rng.choice(articles, size=pages, replace=False)
            rows = np.concatenate([self.fixed, self.tune[train][np.isin(self.groups[train], chosen)]])
            model = flagger(self.settings)
            model.fit(self.matrix[rows], self.y[rows], sample_weight=self.weight[rows])
            scores[test] = model.decision_function(self.matrix[self.tune[test]])
        return float(average_precision_score(self.y[self.tune], scores))


def limits(sizes: list[int], means: list[float]) -> str:
    """Least-squares fits AP = a - b * N^-power (N > 0) of the two saturating forms: a, the fit's
    RMS error (which form describes the curve better) and the AP it predicts at 10x the pages."""
    n, ap = np.array(sizes, dtype=float), np.array(means)
    fitted = n > 0
    if fitted.sum() < 2:
        return "needs two sizes above 0"
    parts = []
    for power, form in ((1.0, "a - b/N"), (0.5, "a - b/sqrt N")):
        slope, a = np.polyfit(n[fitted] ** -power, ap[fitted], 1)
        error = np.sqrt(np.mean((ap[fitted] - (a + slope * n[fitted] ** -power)) ** 2))
        tenfold = a + slope * (10 * n.max()) ** -power
        parts.append(f"AP = {form}: a {a:.3f} (RMS error {error:.4f}; at 10x the pages {tenfold:.3f})")
    return "; ".join(parts)


def measure(curve: Curve, sizes: list[int], full: int, args: argparse.Namespace, started: float):
    """(table rows, mean AP per size); a size of `full` trains on every other article, once per seed."""
    rows, means = [], []
    for size in sizes:
        draws = 1 if size in (0, full) else args.draws
        pages = None if size == full else size
        aps = [
            curve.average_precision(pages, seed, np.random.default_rng([seed, draw]))
            for seed in range(args.seeds)
            for draw in range(draws)
        ]
        means.append(float(np.mean(aps)))
        name = f"all (~{size})" if size == full else str(size)
        rows.append([name, *(f"{x:.3f}" for x in (means[-1], np.std(aps), min(aps), max(aps)))])
        elapsed = time.perf_counter() - started
        print(f"[{elapsed:6.1f}s] {name} articles: AP {means[-1]:.3f}", file=sys.stderr, flush=True)
    return rows, means


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="0,7,14,21", help="training articles per fold to try (all of them is always added)"
    )
    parser.add_argument("--seeds", type=int, default=3, help="fold seeds (default 3, as in the model card)")
    parser.add_argument("--draws", type=int, default=4, help="random article choices per seed and size")
    parser.add_argument("--no-save", action="store_true", help="print only; do not append to results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not corpora.shared_available():
        print("../shared/datasets not present: nothing to measure", file=sys.stderr)
        return 1
    started = time.perf_counter()
    settings = Settings()
    train, _ = corpora.default_mix()
    vocabulary = fit_vocabulary(aux_tasks(), [e.text for e in train])
    curve = Curve(train, TextFeatures(*vocabulary, word_weight=settings.word_weight), settings)
    full = curve.pages() - curve.pages() // settings.folds
    sizes = [int(s) for s in args.sizes.split(",") if 0 <= int(s) < full] + [full]
    rows, means = measure(curve, sizes, full, args, started)
    lines = [
        *header("Learning curve", "python -m bench.learning_curve"),
        f"- out-of-fold AP for `unsupported` on {len(curve.tune)} dev-train sentences "
        f"({curve.y[curve.tune].mean():.3f} unsupported) of {curve.pages()} articles, {settings.folds} folds "
        f"by article, {args.seeds} fold seeds x {args.draws} article draws; `all` is what the shipped "
        "model's calibration sees",
        "",
        *table(["training articles per fold", "AP mean", "sd", "min", "max"], rows),
        "",
        f"- fitted limit with unlimited pages like these: {limits(sizes, means)}",
    ]
    publish("learning_curve", lines, save=not args.no_save)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

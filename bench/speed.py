"""In-process speed of `/v1/score`'s pipeline, stage by stage, against floors measured in the same run.

Floors make the figures portable: "1.3x a BeautifulSoup parse" means the same on any machine,
"12 ms" does not. Every figure is the median over repeats of one page, then summarised over
pages (median, p90, min, max). Run from the repository root:

    python -m bench.speed            # all benchmark pages, about 5 minutes
    python -m bench.speed --quick    # a smoke run of a few seconds
    python -m bench.speed --profile  # where the time goes (cProfile), printed only
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura
from bs4 import BeautifulSoup

from bench.machine import header, publish, table
from bench.pages import MissingData, article_paragraphs, benchmark_pages, synthetic_page
from model.artifact import DEFAULT_MODEL_PATH, load_model
from model.decode import decode_html
from model.extract import MAX_BLOCKS, MAX_INPUT_CHARS, extract_page, prune_html
from model.language import detect_language
from model.scoring import Scorer, UnsupportedLanguage
from model.sentences import split_blocks

STAGES = ("decode", "prune", "parse", "walk", "language", "split", "classify", "json")
FLOORS = ("lxml floor", "bs4 floor", "trafilatura")
TARGET_RATIO = 1.5
SCALING_SIZES = (10_000, 30_000, 100_000, 300_000, 600_000, 1_000_000, 2_000_000, 5_000_000)
QUICK_SIZES = (10_000, 100_000, 300_000)
BIG_PAGE_BYTES = 2_000_000
Timings = dict[str, float]


def lxml_floor(html: str) -> str:
    """The physical floor: libxml2's parse plus a text dump, no Python objects per node."""
    try:
        return lxml.html.fromstring(html).text_content()
    except ValueError:  # a str with an XML encoding declaration: lxml wants bytes then
        return lxml.html.fromstring(html.encode("utf-8")).text_content()


def bs4_floor(html: str) -> str:
    """What any BeautifulSoup pipeline pays at least: building the whole tree, then reading it."""
    return BeautifulSoup(html, "lxml").get_text("\n")


def measures(raw: bytes, scorer: Scorer) -> dict[str, Callable[[], object]]:
    """One zero-argument call per stage, floor and end-to-end total, each on its own prepared input."""
    html = decode_html(raw)
    stripped = prune_html(html[:MAX_INPUT_CHARS])
    page = extract_page(html)
    sentences = [s.text for s in split_blocks(page.blocks)]
    report = scorer.score_html(html)
    return {
        "decode": lambda: decode_html(raw),
        "prune": lambda: prune_html(html[:MAX_INPUT_CHARS]),
        "parse": lambda: BeautifulSoup(stripped, "lxml"),
        "extract": lambda: extract_page(html),
        "language": lambda: detect_language(page.text),
        "split": lambda: split_blocks(page.blocks),
        "classify": lambda: scorer.model.predict(sentences),
        "json": lambda: json.dumps(report),
        "total": lambda: json.dumps(scorer.score_html(decode_html(raw))),
        "lxml floor": lambda: lxml_floor(html),
        "bs4 floor": lambda: bs4_floor(html),
        "trafilatura": lambda: trafilatura.extract(html),
    }


def seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def time_page(raw: bytes, scorer: Scorer, repeats: int, only: tuple[str, ...] = ()) -> Timings:
    """Median seconds per measure over `repeats` rounds; rounds interleave measures to share drift."""
    calls = measures(raw, scorer)
    names = only or tuple(calls)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        gc.collect()
        for name in names:
            samples[name].append(seconds(calls[name]))
    result = {name: statistics.median(values) for name, values in samples.items()}
    if "extract" in result:  # the walk is what extract_page spends beyond pruning and parsing
        result["walk"] = max(0.0, result["extract"] - result["prune"] - result["parse"])
    return result


def scorable(pages: list[tuple[str, bytes]], scorer: Scorer) -> tuple[list[tuple[str, bytes]], int]:
    """Pages the model scores; non-English ones stop at the language check, so they are left out."""
    kept = []
    for page_id, raw in pages:
        try:
            scorer.score_html(decode_html(raw))
        except UnsupportedLanguage:
            continue
        kept.append((page_id, raw))
    return kept, len(pages) - len(kept)


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
    return {"median": statistics.median(ordered), "p90": p90, "min": ordered[0], "max": ordered[-1]}


def ms(value: float) -> str:
    return f"{value * 1000:.2f}"


def stage_table(per_page: list[Timings]) -> list[str]:
    """Per-stage milliseconds summarised over pages, with each stage's share of the median total."""
    total = statistics.median(t["total"] for t in per_page)
    rows = []
    for name in (*STAGES, "total", *FLOORS):
        s = summary([t[name] for t in per_page])
        share = f"{100 * s['median'] / total:.0f}%" if name in STAGES else ""
        rows.append([name, ms(s["median"]), ms(s["p90"]), ms(s["min"]), ms(s["max"]), share])
    return table(["ms per page", "median", "p90", "min", "max", "share of total"], rows)


def ratio_lines(per_page: list[Timings], targets: bool = True) -> list[str]:
    """Our total over each floor: ratio of the medians, and the median of per-page ratios.

    The issue's 1.5x targets are for the median benchmark page; other pages report the ratios only.
    """
    total = statistics.median(t["total"] for t in per_page)
    lines = []
    for floor in FLOORS:
        base = statistics.median(t[floor] for t in per_page)
        per = statistics.median(t["total"] / t[floor] for t in per_page if t[floor] > 0)
        verdict = ""
        if targets and floor != "lxml floor":
            verdict = " (target <= 1.5x: " + ("met" if total / base <= TARGET_RATIO else "NOT met") + ")"
        lines.append(f"- total / {floor}: {total / base:.2f}x (per-page median {per:.2f}x){verdict}")
    return lines


def classifier_lines(pages: list[tuple[str, bytes]], scorer: Scorer, per_page: list[Timings]) -> list[str]:
    """Sentences per second as the server runs it (one batch per page) and in one bulk batch."""
    documents = [[s.text for s in split_blocks(extract_page(decode_html(raw)).blocks)] for _, raw in pages]
    count = sum(len(d) for d in documents)
    per_page_rate = count / sum(t["classify"] for t in per_page)
    bulk = statistics.median(seconds(lambda: scorer.model.predict_documents(documents)) for _ in range(3))
    return [
        f"- classifier: {count} sentences on {len(documents)} pages; "
        f"{per_page_rate:,.0f} sentences/s batched per page (as served), "
        f"{count / bulk:,.0f} sentences/s in one batch of all pages; "
        f"median {statistics.median(len(d) for d in documents):.0f} sentences per page",
    ]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def probe_load(model_path: Path) -> None:
    """Run in a fresh interpreter: how long the model takes to load and how much memory it adds."""
    before = rss_mb()
    load_s = seconds(lambda: load_model(model_path))
    print(json.dumps({"load_s": load_s, "rss_before_mb": before, "rss_after_mb": rss_mb()}))


def load_lines(model_path: Path, runs: int) -> list[str]:
    command = [sys.executable, "-m", "bench.speed", "--probe-load", "--model", str(model_path)]
    probes = [
        json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    load = summary([p["load_s"] for p in probes])
    after = statistics.median(p["rss_after_mb"] for p in probes)
    added = statistics.median(p["rss_after_mb"] - p["rss_before_mb"] for p in probes)
    size = model_path.stat().st_size / 1024 / 1024
    return [
        f"- model load ({size:.1f} MB file, fresh interpreter, {runs} runs, includes the sha256 check): "
        f"median {ms(load['median'])} ms (min {ms(load['min'])}, max {ms(load['max'])}); "
        f"resident memory {after:.0f} MB after load, of which the model adds {added:.0f} MB",
    ]


def big_page_lines(paragraphs: list[str], scorer: Scorer, repeats: int) -> list[str]:
    html = synthetic_page(paragraphs, BIG_PAGE_BYTES)
    timings = time_page(html.encode("utf-8"), scorer, repeats)
    rows = [[name, ms(timings[name])] for name in (*STAGES, "total", *FLOORS)]
    blocks = extract_page(html).blocks
    return [
        f"### One {len(html.encode()) / 1e6:.1f} MB page (real paragraphs repeated), median of {repeats}",
        "",
        *table(["stage", "ms"], rows),
        "",
        f"- extraction kept {len(blocks)} blocks (cap {MAX_BLOCKS:,}), {len(split_blocks(blocks))} sentences",
        *ratio_lines([timings], targets=False),
        f"- classify is {timings['classify'] / timings['total']:.0%} of the total: unlike real pages of this "
        "size, which are mostly markup, this one is nearly all article prose",
    ]


def scaling_lines(paragraphs: list[str], scorer: Scorer, sizes: tuple[int, ...], repeats: int) -> list[str]:
    """Cost against page size; a linear pipeline keeps ms/KB flat and the fitted exponent near 1.

    Only pages under both of extract.py's caps enter the fit: past them the work stops growing.
    """
    rows, points = [], []
    for size in sizes:
        raw = synthetic_page(paragraphs, size).encode("utf-8")
        blocks = extract_page(raw.decode("utf-8")).blocks
        t = time_page(raw, scorer, repeats, only=("total", "bs4 floor", "lxml floor"))
        kb = len(raw) / 1024
        capped = len(blocks) >= MAX_BLOCKS or len(raw) > MAX_INPUT_CHARS
        if not capped:
            points.append((math.log(kb), math.log(t["total"])))
        rows.append(
            [f"{kb:,.0f}", f"{len(blocks)}{' (cap)' if capped else ''}", str(len(split_blocks(blocks))),
             ms(t["total"]), f"{1000 * t['total'] / kb:.3f}", ms(t["bs4 floor"]),
             f"{t['total'] / t['bs4 floor']:.2f}", ms(t["lxml floor"])]
        )  # fmt: skip
    columns = ["KB", "blocks", "sentences", "total ms", "ms per KB", "bs4 floor ms", "total / bs4"]
    return [
        f"### Cost vs page size (synthetic pages, median of {repeats})",
        "",
        *table([*columns, "lxml floor ms"], rows),
        "",
        f"- fitted exponent of total time vs size over the uncapped pages: {slope(points):.2f} "
        "(1.00 is linear; below 1, fixed per-page costs still weigh on the small pages). "
        f"extract.py reads at most {MAX_INPUT_CHARS:,} characters and keeps at most {MAX_BLOCKS:,} "
        "blocks, so past those caps (marked) the cost stops growing by design.",
    ]


def slope(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return float("nan")
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return covariance / sum((x - mean_x) ** 2 for x, _ in points)


def profile(pages: list[tuple[str, bytes]], scorer: Scorer, top: int) -> None:
    """cProfile of decode + score + JSON over every page, in ms per page and share of the total."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _, raw in pages:
        json.dumps(scorer.score_html(decode_html(raw)))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt
    print(f"profile over {len(pages)} pages: {1000 * total / len(pages):.2f} ms per page (under cProfile)")
    for order in ("cumulative", "tottime"):
        print(f"\n top {top} by {order} (ms per page, share of total):")
        stats.sort_stats(order)
        for func in stats.fcn_list[:top]:
            _, _, tottime, cumtime, _ = stats.stats[func]
            value = cumtime if order == "cumulative" else tottime
            where = f"{'/'.join(Path(func[0]).parts[-2:])}:{func[1]}({func[2]})"
            print(f"  {1000 * value / len(pages):8.2f} ms  {100 * value / total:5.1f}%  {where}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed",
        description="Time the scoring pipeline in-process per stage over the extraction benchmark pages "
        "and a 2 MB page, against lxml, BeautifulSoup and trafilatura measured in the same run; "
        "classifier throughput, model load time and memory, and cost vs page size. Appends the "
        "figures to bench/results/speed.md.",
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_PATH, help="model file to score with")
    parser.add_argument("--pages", type=int, default=None, help="use only the first N benchmark pages")
    parser.add_argument("--repeats", type=int, default=5, help="timed rounds per page (median is kept)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 12 pages, 2 rounds, 3 sizes")
    parser.add_argument("--profile", action="store_true", help="print a cProfile breakdown instead")
    parser.add_argument("--no-save", action="store_true", help="print only; do not append to results")
    parser.add_argument("--probe-load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.pages, args.repeats = args.pages or 12, 2
    return args


def run(args: argparse.Namespace, scorer: Scorer) -> list[str]:
    pages, rejected = scorable(benchmark_pages(args.pages), scorer)
    per_page = [time_page(raw, scorer, args.repeats) for _, raw in pages]
    paragraphs = article_paragraphs(pages)
    big_repeats = 2 if args.quick else args.repeats
    return [
        f"### {len(pages)} extraction-benchmark pages ({rejected} non-English pages left out: the "
        f"service rejects them after extraction), median of {args.repeats} rounds per page",
        "",
        *stage_table(per_page),
        "",
        "`walk` is extract_page minus prune and parse (derived); `total` is decode + score_html + "
        "json.dumps timed as one call; floors run on the same decoded page.",
        "",
        *ratio_lines(per_page),
        *classifier_lines(pages, scorer, per_page),
        *load_lines(args.model, 1 if args.quick else 3),
        "",
        *big_page_lines(paragraphs, scorer, big_repeats),
        "",
        *scaling_lines(paragraphs, scorer, QUICK_SIZES if args.quick else SCALING_SIZES, big_repeats),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.probe_load:
        probe_load(args.model)
        return 0
    scorer = Scorer(*load_model(args.model))
    command = " ".join(["python -m bench.speed", *(sys.argv[1:] if argv is None else argv)])
    top = header("In-process speed" + (" (quick)" if args.quick else ""), command)
    try:
        if args.profile:
            profile(scorable(benchmark_pages(args.pages), scorer)[0], scorer, top=25)
            return 0
        lines = run(args, scorer)
    except MissingData as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = top + lines
    publish("speed", lines, save=not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())

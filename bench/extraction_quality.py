"""Main-text extraction quality and speed: ours against trafilatura and naive BeautifulSoup text.

Scores each extractor on the shared article-extraction benchmark (../shared/bench/extraction)
with the shared scorer (../shared/tools/extraction_eval.py, imported by path so the metric is
exactly the one the issue quotes). The extractors run interleaved, page by page, so machine
load during the run affects all of them alike and the time ratios are fair. Prints the figures
and appends them to bench/results/extraction.md.

    python bench/extraction_quality.py [--limit N] [--repeat R] [--no-save]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMS_SHARED_DIR", REPO / ".." / "shared"))
SCORER = SHARED / "tools" / "extraction_eval.py"
DATA = SHARED / "bench" / "extraction"
RESULTS = REPO / "bench" / "results" / "extraction.md"

sys.path.insert(0, str(REPO))


def _load_scorer() -> ModuleType:
    if not SCORER.is_file():
        sys.exit(f"error: scorer not found at {SCORER} (set CLAIMS_SHARED_DIR)")
    spec = importlib.util.spec_from_file_location("extraction_eval", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _extractors() -> dict[str, Callable[[str], str]]:
    """The three extractors compared, each a function html -> text."""
    import trafilatura
    from bs4 import BeautifulSoup

    from model.extract import extract_text

    def naive(html: str) -> str:
        return BeautifulSoup(html, "lxml").get_text("\n")

    def traf(html: str) -> str:
        return trafilatura.extract(html) or ""

    return {"ours": extract_text, "trafilatura": traf, "naive-bs4": naive}


def _cpu() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        model = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")), "")
    except OSError:
        model = ""
    return f"{model or platform.processor() or 'unknown CPU'}, {os.cpu_count()} logical cores"


def _versions() -> str:
    names = ("beautifulsoup4", "lxml", "trafilatura")
    return ", ".join(f"{n} {version(n)}" for n in names) + f", Python {platform.python_version()}"


def run(limit: int, repeat: int, timeout: float) -> dict[str, dict]:
    """Score every extractor; the time per page is the fastest of `repeat` runs."""
    scorer = _load_scorer()
    pages = scorer.load_pages(DATA)
    if limit > 0:
        pages = pages[:limit]
    extractors = _extractors()
    for func in extractors.values():  # warm up imports and caches outside the timing
        func(pages[0][1])
    results: dict[str, list] = {name: [] for name in extractors}
    for page_id, html, true in pages:
        for name, func in extractors.items():
            runs = [scorer.run_page(func, html, timeout) for _ in range(repeat)]
            out, _, error = runs[0]
            ms = min(r[1] for r in runs)
            results[name].append(scorer.score_page(page_id, true, out, ms, error, scorer.OFFICIAL_NGRAM))
    return {
        name: scorer.summarise(rows, scorer.OFFICIAL_NGRAM, 0, 0) | {"ms": [r.ms for r in rows]}
        for name, rows in results.items()
    }


def _ratio(summaries: dict[str, dict], a: str, b: str) -> float:
    """Median over pages of the per-page time ratio (robust to a slow page in either)."""
    return statistics.median(x / y for x, y in zip(summaries[a]["ms"], summaries[b]["ms"], strict=True) if y)


def report(summaries: dict[str, dict], repeat: int) -> str:
    """The figures as a Markdown section."""
    pages = next(iter(summaries.values()))["pages"]
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- machine: {_cpu()}",
        f"- versions: {_versions()}",
        f"- pages: {pages} (../shared/bench/extraction), time per page = fastest of {repeat} run(s)",
        "",
        "| extractor | F1 | precision | recall | median ms/page | mean ms/page | empty | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, s in summaries.items():
        lines.append(
            f"| {name} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | {s['median_ms']:.1f} "
            f"| {s['mean_ms']:.1f} | {s['empty_outputs']} | {len(s['errors'])} |"
        )
    ours, traf, naive = (summaries[k]["median_ms"] for k in ("ours", "trafilatura", "naive-bs4"))
    lines += [
        "",
        f"- time ours/trafilatura: {ours / traf:.2f} (ratio of medians), "
        f"{_ratio(summaries, 'ours', 'trafilatura'):.2f} (median of per-page ratios)",
        f"- time ours/naive-bs4: {ours / naive:.2f} (ratio of medians), "
        f"{_ratio(summaries, 'ours', 'naive-bs4'):.2f} (median of per-page ratios)",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages (0: all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest is timed")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per page before it counts empty")
    parser.add_argument(
        "--no-save", action="store_true", help=f"do not append to {RESULTS.relative_to(REPO)}"
    )
    args = parser.parse_args(argv)
    text = report(run(args.limit, max(1, args.repeat), args.timeout), max(1, args.repeat))
    print(text)
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        if not RESULTS.exists():
            RESULTS.write_text(
                "# Main-text extraction benchmark\n\nAppended by bench/extraction_quality.py.\n\n"
            )
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

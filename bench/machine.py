"""Where and with what a benchmark ran, and the append-only results files that keep its figures.

A figure means little without the machine and library versions behind it, so every run writes
them beside its numbers. The host name is left out on purpose: the files are committed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
_PACKAGES = ("lxml", "beautifulsoup4", "scikit-learn", "numpy", "scipy", "trafilatura", "flask", "gunicorn")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def versions() -> str:
    found = []
    for name in _PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return f"Python {platform.python_version()}, " + ", ".join(found)


def git_revision() -> str:
    """The commit measured, marked dirty when the working tree differs (figures then may not reproduce)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' (working tree modified)' if dirty else ''}"


def header(title: str, command: str) -> list[str]:
    """The Markdown lines that open one run's section in a results file."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return [
        f"## {title}, {now}",
        "",
        f"- command: `{command}`",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {memory_gb():.1f} GB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- versions: {versions()}",
        f"- code: git {git_revision()}",
        f"- load average at start (1/5/15 min): {'/'.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other work on the machine inflates absolute times; the ratios share it)",
        "",
    ]


def append_results(name: str, lines: list[str]) -> Path:
    """Append one run's section to bench/results/<name>.md, creating the file on first use."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.md"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines).rstrip() + "\n\n")
    return path


def publish(name: str, lines: list[str], save: bool) -> None:
    """Print a run's figures and, unless told not to, append them to bench/results/<name>.md."""
    print("\n".join(lines))
    if save:
        print(f"\nappended to {append_results(name, lines)}")


def table(columns: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table, first column left-aligned and the figures right-aligned."""
    align = [":---"] + ["---:"] * (len(columns) - 1)
    return [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]

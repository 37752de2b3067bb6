"""Reliability under load: the production server fed a mix of valid and hostile requests over loopback.

Starts `python -m server` (gunicorn, one sync worker per core, rate limit off so that the one
loopback client is not throttled) and keeps a few client threads sending requests for a fixed
time and at most a fixed count. A baseline phase sends only valid requests; the mixed phase
then adds malformed JSON, wrong fields and content types, oversized bodies, deeply nested and
binary pages, lone surrogates, non-English pages, unknown paths and methods. Every request
type has the statuses it may get; a valid request that gets anything else (or no answer) is an
error, and the run fails if there is one. Also reported: resident memory of master + workers at
start and end (from /proc), and whether the server log holds a traceback or a page's text.
Run from the repository root:

    python -m bench.load_test                 # 300 s (20 s baseline, then mixed)
    python -m bench.load_test --quick         # 20 s smoke run
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.http_load import Server, process_tree, start_server, stop_server
from bench.machine import header, publish, table
from bench.pages import MissingData, article_paragraphs, benchmark_pages
from model.artifact import DEFAULT_MODEL_PATH
from model.decode import decode_html

# Planted in every page sent; the server must never write it to its log.
CANARY = "Quokka-canary-4711 tonic cures every illness"
MAX_REQUEST_BYTES = 5 * 1024 * 1024
FRENCH = "<p>" + "Le gouvernement a annoncé une nouvelle série de mesures pour la santé publique. " * 8


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    body: bytes
    content_type: str
    expected: frozenset[int | str]
    valid: bool
    # Declared instead of len(body), to send the headers of a body too large to be read at all.
    content_length: int | None = None


@dataclass
class Tally:
    """Outcomes per request kind; `str` outcomes are transport failures (no HTTP status)."""

    kinds: dict[str, Request] = field(default_factory=dict)
    outcomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    latency_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: Request, outcome: int | str, ms: float) -> None:
        with self.lock:
            self.kinds.setdefault(request.kind, request)
            self.outcomes[request.kind][outcome] += 1
            self.latency_ms[request.kind].append(ms)

    def errors(self) -> dict[str, int]:
        """Per request kind, how many answers fell outside the statuses that kind may get."""
        return {
            kind: sum(n for outcome, n in outcomes.items() if outcome not in self.kinds[kind].expected)
            for kind, outcomes in self.outcomes.items()
        }

    def valid_errors(self) -> int:
        return sum(n for kind, n in self.errors().items() if self.kinds[kind].valid)

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.outcomes.values())


def _json(kind: str, body: object, expected: set[int | str], valid: bool = False) -> Request:
    raw = json.dumps(body).encode()
    return Request(kind, "POST", "/v1/score", raw, "application/json", frozenset(expected), valid)


def valid_requests(pages: list[str], paragraphs: list[str]) -> list[Callable[[int], Request]]:
    """Makers of valid requests; the argument makes feedback unique so every one is a new row."""
    page, paragraph = itertools.cycle(pages), itertools.cycle(paragraphs)
    return [
        lambda n: _json(
            "score html (JSON)", {"html": next(page), "url": "https://example.org/"}, {200}, True
        ),
        lambda n: Request(
            "score html (raw)", "POST", "/v1/score", next(page).encode(), "text/html", frozenset({200}), True
        ),
        lambda n: _json(
            "score text", {"text": "\n".join([CANARY + ".", *itertools.islice(paragraph, 5)])}, {200}, True
        ),
        lambda n: Request(
            "feedback",
            "POST",
            "/v1/feedback",
            json.dumps({"text": f"{CANARY} {n}.", "label": "unsupported", "url": "https://e.org"}).encode(),
            "application/json",
            frozenset({201}),
            True,
        ),
        lambda n: Request("health", "GET", "/v1/health", b"", "", frozenset({200}), True),
    ]


def hostile_requests() -> list[Callable[[int], Request]]:
    """Makers of invalid or pathological requests and the statuses each may get.

    The oversized request declares a body one byte over the limit and sends none of it: the
    server must answer 413 from the Content-Length alone, before reading any body.
    """
    deep = "<div>" * 50_000 + f"<p>{CANARY}.</p>" + "</div>" * 50_000
    return [
        lambda n: Request(
            "malformed JSON", "POST", "/v1/score", b"{html:", "application/json", frozenset({400}), False
        ),
        lambda n: _json("unknown field", {"html": "<p>x</p>", "colour": 1}, {422}),
        lambda n: _json("wrong type", {"html": ["<p>x</p>"]}, {422}),
        lambda n: _json("html and text", {"html": "<p>x</p>", "text": "x"}, {422}),
        lambda n: Request(
            "form body",
            "POST",
            "/v1/score",
            b"html=x",
            "application/x-www-form-urlencoded",
            frozenset({415}),
            False,
        ),
        lambda n: Request(
            "oversized", "POST", "/v1/score", b"", "text/html", frozenset({413}), False, MAX_REQUEST_BYTES + 1
        ),
        lambda n: _json("deep nesting", {"html": deep}, {200, 503}),
        lambda n: Request(
            "binary bytes",
            "POST",
            "/v1/score",
            random.randbytes(20_000),
            "text/html",
            frozenset({200, 422}),
            False,
        ),
        lambda n: Request(
            "lone surrogate",
            "POST",
            "/v1/score",
            b'{"html": "<p>\\ud800 ' + CANARY.encode() + b'\\u200b\\u202e</p>"}',
            "application/json",
            frozenset({200}),
            False,
        ),
        lambda n: _json("non-English", {"html": FRENCH + CANARY}, {422}),
        lambda n: Request("unknown path", "GET", "/v1/nope", b"", "", frozenset({404}), False),
        lambda n: Request("wrong method", "GET", "/v1/score", b"", "", frozenset({405}), False),
    ]


def send(base: str, request: Request, timeout: float) -> int | str:
    """The HTTP status, or a short name for how the exchange failed."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.putrequest(request.method, request.path)
        if request.content_type:
            connection.putheader("Content-Type", request.content_type)
        connection.putheader("Content-Length", str(request.content_length or len(request.body)))
        connection.endheaders()
        connection.send(request.body)
        response = connection.getresponse()
        response.read()
        return response.status
    except (ConnectionResetError, BrokenPipeError):
        return "connection reset"
    except TimeoutError:
        return "timeout"
    except OSError as exc:
        return type(exc).__name__
    finally:
        connection.close()


@dataclass
class Phase:
    name: str
    seconds: float
    makers: list[Callable[[int], Request]]
    tally: Tally = field(default_factory=Tally)


def run_phase(base: str, phase: Phase, threads: int, max_requests: int, seed: int) -> None:
    """`threads` closed-loop clients until the phase's time is up or `max_requests` were sent."""
    deadline = time.monotonic() + phase.seconds
    counter = itertools.count()

    def client(index: int) -> None:
        rng = random.Random(seed + index)
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= max_requests:
                return
            request = rng.choice(phase.makers)(n)
            started = time.perf_counter()
            outcome = send(base, request, timeout=60)
            phase.tally.add(request, outcome, (time.perf_counter() - started) * 1000)

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def rss_mb(root: int) -> dict[int, float]:
    """Resident memory of the master and each worker, in MB, from /proc/<pid>/status."""
    found = {}
    for pid in process_tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        found[pid] = kb / 1024
    return found


def sample_rss(root: int, every: float, stop: threading.Event, samples: list[float]) -> None:
    """Total RSS every `every` seconds until stopped: a leak shows as a climb, not just an end value."""
    while not stop.wait(every):
        samples.append(sum(rss_mb(root).values()))


def english_pages(server: Server, count: int) -> tuple[list[str], list[str]]:
    """Benchmark pages the server scores with 200 (non-English ones get 422), each with the canary
    planted, and their article paragraphs as plain text. Posting each once warms the workers."""
    pages, raws = [], []
    for page_id, raw in benchmark_pages():
        html = decode_html(raw).replace("</body>", f"<p>{CANARY}.</p></body>", 1)
        if send(server.url, _json(page_id, {"html": html}, {200}), timeout=60) == 200:
            pages.append(html)
            raws.append((page_id, raw))
        if len(pages) == count:
            break
    if not pages:
        raise MissingData("no benchmark page was scored with status 200")
    return pages, article_paragraphs(raws)


def phase_table(tally: Tally) -> list[str]:
    kinds, errors = tally.kinds, tally.errors()
    rows = []
    for kind in sorted(tally.outcomes, key=lambda k: (not kinds[k].valid, k)):
        outcomes = tally.outcomes[kind]
        latencies = sorted(tally.latency_ms[kind])
        rows.append(
            [
                kind,
                "valid" if kinds[kind].valid else "invalid",
                "/".join(str(s) for s in sorted(kinds[kind].expected, key=str)),
                str(sum(outcomes.values())),
                ", ".join(
                    f"{status}: {n}" for status, n in sorted(outcomes.items(), key=lambda x: str(x[0]))
                ),
                str(errors[kind]),
                f"{statistics.median(latencies):.0f}",
                f"{latencies[int(0.99 * (len(latencies) - 1))]:.0f}",
            ]
        )
    columns = ["request", "type", "expected", "sent", "answers", "errors", "p50 ms", "p99 ms"]
    return table(columns, rows)


def log_findings(log: Path) -> tuple[int, int, int]:
    """(lines, lines with a traceback, lines quoting the canary page text) of the server's log."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return len(lines), sum("Traceback" in x for x in lines), sum(CANARY in x for x in lines)


def median_ms(tally: Tally, kind: str) -> float:
    return statistics.median(tally.latency_ms[kind])


def report(
    args: argparse.Namespace,
    pages: int,
    baseline: Phase,
    mixed: Phase,
    rss: tuple[dict, dict, list[float]],
    log: Path,
) -> list[str]:
    start, end = (sum(r.values()) for r in rss[:2])
    valid_errors = baseline.tally.valid_errors() + mixed.tally.valid_errors()
    all_errors = sum(sum(p.tally.errors().values()) for p in (baseline, mixed))
    lines_, tracebacks, leaks = log_findings(log)
    key = "score html (JSON)"
    ratio = median_ms(mixed.tally, key) / median_ms(baseline.tally, key)
    return [
        f"{args.threads} client threads, closed loop, over loopback; server: `python -m server` with "
        f"{len(rss[0]) - 1} workers, rate limit off; {pages} English benchmark pages in turn.",
        "",
        f"### Baseline: valid requests only, {baseline.seconds:.0f} s, {baseline.tally.total} requests",
        "",
        *phase_table(baseline.tally),
        "",
        f"### Mixed valid and hostile requests, {mixed.seconds:.0f} s, {mixed.tally.total} requests",
        "",
        *phase_table(mixed.tally),
        "",
        f"- errors on valid requests: **{valid_errors}** (answers outside the expected statuses, "
        f"all request types: {all_errors})",
        f"- median latency of a valid JSON page, mixed / baseline: {ratio:.2f}x "
        f"({median_ms(mixed.tally, key):.0f} ms / {median_ms(baseline.tally, key):.0f} ms)",
        f"- RSS of master + workers: start {start:.0f} MB, end {end:.0f} MB ({end / start:.2f}x); "
        f"per process at end: {', '.join(f'{mb:.0f}' for mb in rss[1].values())} MB; "
        f"total every {args.seconds / 10:.0f} s: {', '.join(f'{mb:.0f}' for mb in rss[2])} MB",
        f"- server log: {lines_} lines, {tracebacks} with a traceback, {leaks} quoting page text",
    ]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load_test",
        description="Start the production server on a free loopback port, send valid requests (baseline) "
        "then a mix of valid and hostile ones with a few threads, bounded in time and count; count the "
        "answers per request type, report RSS at start and end, and append the figures to "
        "bench/results/load_test.md. Exits 1 if a valid request got an unexpected answer.",
    )
    parser.add_argument(
        "--seconds", type=float, default=300, help="whole run, baseline included (default 300)"
    )
    parser.add_argument(
        "--baseline-seconds", type=float, default=20, help="valid-only phase first (default 20)"
    )
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop a phase after this many")
    parser.add_argument("--workers", type=int, default=0, help="server workers; 0 = one per core")
    parser.add_argument("--pages", type=int, default=20, help="benchmark pages in the valid mix")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_PATH, help="model file to serve")
    parser.add_argument("--seed", type=int, default=0, help="seed of the request choice")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20 s (5 s baseline), 5 pages")
    parser.add_argument("--no-save", action="store_true", help="print only; do not append to results")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.baseline_seconds, args.pages = 20, 5, 5
    return args


def measure(args: argparse.Namespace, workdir: Path) -> tuple[list[str], int]:
    """The report's lines and the number of valid requests that got an unexpected answer."""
    server = start_server(args.model, workdir, args.workers)
    samples: list[float] = []
    stop = threading.Event()
    try:
        pages, paragraphs = english_pages(server, args.pages)
        start_rss = rss_mb(server.process.pid)
        sampler = threading.Thread(
            target=sample_rss, args=(server.process.pid, args.seconds / 10, stop, samples)
        )
        sampler.start()
        valid = valid_requests(pages, paragraphs)
        baseline = Phase("baseline", args.baseline_seconds, valid)
        run_phase(server.url, baseline, args.threads, args.max_requests, args.seed)
        mixed = Phase("mixed", args.seconds - args.baseline_seconds, valid + hostile_requests())
        run_phase(server.url, mixed, args.threads, args.max_requests, args.seed + 1000)
        end_rss = rss_mb(server.process.pid)
    finally:
        stop.set()
        stop_server(server)
    lines = report(args, len(pages), baseline, mixed, (start_rss, end_rss, samples), server.log)
    return lines, baseline.tally.valid_errors() + mixed.tally.valid_errors()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = " ".join(["python -m bench.load_test", *(sys.argv[1:] if argv is None else argv)])
    # Taken before the run, so the load average it records is the one the run started under.
    opening = header("Load test" + (" (quick)" if args.quick else ""), command)
    try:
        with tempfile.TemporaryDirectory(prefix="load-test-") as tmp:
            lines, valid_errors = measure(args, Path(tmp))
    except MissingData as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = opening + lines
    publish("load_test", lines, save=not args.no_save)
    return 1 if valid_errors else 0


if __name__ == "__main__":
    sys.exit(main())

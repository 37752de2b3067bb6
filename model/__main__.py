"""`python -m model score PAGE...`: score saved pages without a server (batch use, scripts).

Prints the flagged sentences with probability and reasons, or the API's JSON with --json, so
a batch run and an HTTP call give the same answer for the same page.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from model.artifact import DEFAULT_MODEL_PATH, ModelError, load_model
from model.decode import decode_html
from model.scoring import Scorer, UnsupportedLanguage


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m model", description="Score saved pages for unsupported health claims."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    score = commands.add_parser("score", help="score HTML (or .txt) files and print the flagged sentences")
    score.add_argument(
        "pages",
        nargs="+",
        type=Path,
        help="HTML files; a .txt file is read as plain text, one paragraph per line",
    )
    score.add_argument(
        "--model", type=Path, default=DEFAULT_MODEL_PATH, help="model file (default: the shipped model)"
    )
    score.add_argument(
        "--threshold", type=float, help="decision threshold on P(unsupported); default: the model card's"
    )
    score.add_argument(
        "--all", action="store_true", help="list every sentence with its label, not only flagged ones"
    )
    score.add_argument(
        "--json", action="store_true", help="print the same JSON as POST /v1/score, one line per page"
    )
    return parser.parse_args(argv)


def score_file(scorer: Scorer, path: Path, args: argparse.Namespace) -> dict:
    raw = path.read_bytes()
    options = {"url": str(path), "threshold": args.threshold, "include_all": args.all}
    if path.suffix.lower() == ".txt":
        return scorer.score_text(raw.decode("utf-8", errors="replace"), **options)
    return scorer.score_html(decode_html(raw), **options)


def print_report(report: dict) -> None:
    page = report["page"]
    flagged = f"{page['unsupported']} of {page['sentences']} sentences flagged"
    print(f"{page['url']}: {page['verdict']} (score {page['score']}, {flagged})")
    for claim in report["claims"]:
        print(f"  [{claim['label']} {claim['probability']:.2f}] {claim['text']}")
        if claim["reasons"]:
            print(f"      why: {'; '.join(claim['reasons'])}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        scorer = Scorer(*load_model(args.model))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    for path in args.pages:
        try:
            report = score_file(scorer, path, args)
        except (OSError, UnsupportedLanguage) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        if args.json:
            print(json.dumps(report, ensure_ascii=False))
        else:
            print_report(report)
    return status


def score_command(argv: list[str] | None = None) -> int:
    """`credibility-score PAGE...`: the `score` command under its own name."""
    return main(["score", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())

"""The pages the benchmarks score: the shared extraction benchmark, and synthetic pages of any size.

Real pages come from `../shared/bench/extraction/html` (gzip'd article HTML, read in place and
never copied). Synthetic pages repeat real article paragraphs inside a typical page skeleton
(navigation, scripts, an article, a footer), so a 5 MB page costs what a long real page would,
not what a pathological one would.
"""

from __future__ import annotations

import gzip
import html as html_lib
import itertools
import json
import os
from pathlib import Path

import lxml.html

from model.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CREDIBILITY_SHARED", ROOT / ".." / "shared"))
EXTRACTION_PAGES = SHARED / "bench" / "extraction" / "html"
_MIN_PARAGRAPH_CHARS = 120
_SCRIPT = "<script>window.dataLayer=window.dataLayer||[];function track(e){dataLayer.push(e)}</script>"
_NAV = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(12))


class MissingData(RuntimeError):
    """The shared benchmark pages are not where they should be."""


def benchmark_pages(limit: int | None = None) -> list[tuple[str, bytes]]:
    """(page id, raw HTML bytes) for the extraction benchmark's pages, in a stable order."""
    if not EXTRACTION_PAGES.is_dir():
        raise MissingData(f"{EXTRACTION_PAGES} not present (set CREDIBILITY_SHARED to the shared folder)")
    paths = sorted(EXTRACTION_PAGES.glob("*.html.gz"))[:limit]
    return [(path.name.split(".")[0][:12], gzip.decompress(path.read_bytes())) for path in paths]


def benchmark_urls() -> dict[str, str]:
    """Page id (as `benchmark_pages` gives it) -> the page's original address."""
    truth = json.loads((EXTRACTION_PAGES.parent / "ground-truth.json").read_text(encoding="utf-8"))
    return {page_id[:12]: entry["url"] for page_id, entry in truth.items()}


def article_paragraphs(pages: list[tuple[str, bytes]]) -> list[str]:
    """Long English `<p>` texts of real pages, found with lxml so the code under test plays no part."""
    found = []
    for _, raw in pages:
        for p in lxml.html.fromstring(raw).iter("p"):
            text = " ".join(p.text_content().split())
            if len(text) >= _MIN_PARAGRAPH_CHARS and detect_language(text) == "en":
                found.append(text)
    if not found:
        raise MissingData("no English article paragraphs found in the benchmark pages")
    return found


def synthetic_page(paragraphs: list[str], size_bytes: int) -> str:
    """A page of about `size_bytes` UTF-8 bytes: real paragraphs in an article, a script every 20."""
    head = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Synthetic article</title>{_SCRIPT}"
        f"<style>body{{font:16px serif}}</style></head><body><nav><ul>{_NAV}</ul></nav>"
        "<main><article><h1>Synthetic article</h1>"
    )
    tail = "</article></main><footer><p>Copyright. All rights reserved.</p></footer></body></html>"
    parts, size = [head], len(head) + len(tail)
    for index, text in enumerate(itertools.cycle(paragraphs)):
        piece = f"<p>{html_lib.escape(text)}</p>" + (_SCRIPT if index % 20 == 19 else "")
        parts.append(piece)
        size += len(piece.encode("utf-8"))
        if size >= size_bytes:
            break
    parts.append(tail)
    return "".join(parts)

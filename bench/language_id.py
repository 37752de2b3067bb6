"""Language identification: py3langid and pycld2 against the old stop-word share, and the shipped rule.

Measures, for each way of naming a text's language:
  (a) one-line English health claims, the `text` column of ../shared/datasets/*/claims.csv and
      bench/data/health_myths_test.csv: how many it calls English, how many a named other language;
  (b) the 181 pages of ../shared/bench/extraction (decoded and extracted as the service does):
      which it calls non-English, with the language and a snippet to check by eye;
  (c) text windows of 25 to 400 letters cut from pages all methods agree on: how often an
      English window is called non-English and a non-English window is caught, which is what
      model.language.MIN_LETTERS rests on;
  plus the time per call and the installed size of each package. Data is read in place.

    python bench/language_id.py [--sample N] [--no-save]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import header, publish, table  # noqa: E402
from model import language  # noqa: E402
from model.decode import decode_html  # noqa: E402
from model.extract import extract_page  # noqa: E402

SHARED = Path(os.environ.get("CREDIBILITY_SHARED", ROOT / ".." / "shared"))
CLAIM_FILES = [
    *sorted((SHARED / "datasets").glob("*/claims.csv")),
    ROOT / "bench" / "data" / "health_myths_test.csv",
]
PAGES = SHARED / "bench" / "extraction" / "html"
WINDOWS = (25, 50, 75, 100, 150, 200, 400)
SAMPLE_CHARS = 20_000


_OLD_WORD = re.compile(r"[^\W\d_]+")
_OLD_WORDS = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at which but have "
    "an they you were their has had been one we will can more all would there its who she also our than "
    "other these into some when may could should after most such about them people".split()
)


def _stopwords(text: str) -> str:
    """The rule model/language.py used before: share of English function words in 20+ words."""
    words = _OLD_WORD.findall(text[:SAMPLE_CHARS].lower())
    if len(words) < 20:
        return "und"
    return "en" if sum(w in _OLD_WORDS for w in words) / len(words) >= 0.12 else "xx"


def _methods() -> dict[str, Callable[[str], str]]:
    """Each method: text -> ISO code, "und" when it will not say."""
    import pycld2
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def langid(text: str) -> str:
        return identifier.classify(text[:SAMPLE_CHARS])[0]

    def cld2(text: str) -> str:
        raw = language._CONTROL.sub(" ", text[:SAMPLE_CHARS]).encode("utf-8", "replace")
        code = pycld2.detect(raw, isPlainText=True)[2][0][1]
        return "und" if code == "un" else code

    def shipped(text: str) -> str:
        return {"other": "xx"}.get(found := language.detect_language(text), found)

    return {
        "stop-word share (old)": _stopwords,
        f"py3langid {metadata.version('py3langid')}": langid,
        f"pycld2 {metadata.version('pycld2')}": cld2,
        "model.language (new, pycld2)": shipped,
    }


def _installed_mb(dist: str) -> float:
    files = metadata.distribution(dist).files or []
    return sum(p.locate().stat().st_size for p in files if p.locate().is_file()) / 1e6


def _claims() -> list[str]:
    texts = []
    for path in CLAIM_FILES:
        with open(path, encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle) if row["text"].strip()]
    return texts


def _pages() -> list[tuple[str, str]]:
    return [
        (path.name[:12], extract_page(decode_html(gzip.decompress(path.read_bytes()))).text)
        for path in sorted(PAGES.glob("*.html.gz"))
    ]


def _windows(texts: list[str], letters: int, per_text: int = 5) -> list[str]:
    """Up to `per_text` windows holding `letters` letters from each text, starting at spaces."""
    found = []
    for text in texts:
        flat = " ".join(text.split())
        step = max(len(flat) // per_text, 1)
        for start in range(0, len(flat), step):
            start = flat.rfind(" ", 0, start) + 1 if start else 0
            seen, end = 0, start
            while end < len(flat) and seen < letters:
                seen += flat[end].isalpha()
                end += 1
            if seen == letters:
                found.append(flat[start:end])
    return found


def _timed(method: Callable[[str], str], texts: list[str]) -> tuple[list[str], float]:
    started = time.perf_counter()
    found = [method(text) for text in texts]
    return found, (time.perf_counter() - started) / len(texts)


def run(sample: int) -> list[str]:
    if not PAGES.is_dir():
        sys.exit(f"error: {PAGES} not present (set CREDIBILITY_SHARED)")
    claims, pages = _claims()[: sample or None], _pages()
    methods = _methods()
    lines = header("Language identification", "python bench/language_id.py")
    lines += [
        f"{len(claims)} claims from {len(CLAIM_FILES)} files; {len(pages)} extraction benchmark pages.",
        "",
    ]
    rows, page_calls, listed = [], {}, []
    for name, method in methods.items():
        method(claims[0])  # load the model outside the timing
        found, claim_s = _timed(method, claims)
        page_found, page_s = _timed(method, [text for _, text in pages])
        page_calls[name] = page_found
        counts = Counter("en" if c == "en" else "und" if c == "und" else "other" for c in found)
        rows.append(
            [
                name,
                f"{counts['en']} ({counts['en'] / len(claims):.1%})",
                str(counts["und"]),
                str(counts["other"]),
                f"{claim_s * 1e6:.0f}",
                str(sum(c not in ("en", "und") for c in page_found)),
                f"{page_s * 1e3:.2f}",
            ]
        )
        misnamed = Counter(c for c in found if c not in ("en", "und"))
        listed.append(f"- {name}: claims named other languages: {dict(misnamed.most_common(8)) or 'none'}")
    lines += table(
        ["method", "claims called en", "und", "other", "µs/claim", "pages non-en", "ms/page"], rows
    )
    lines += ["", *listed, ""]
    sizes = {dist: _installed_mb(dist) for dist in ("py3langid", "pycld2", "numpy")}
    lines += [
        f"Installed size: py3langid {sizes['py3langid']:.1f} MB (+ numpy {sizes['numpy']:.1f} MB, already "
        f"a dependency), pycld2 {sizes['pycld2']:.1f} MB (no dependencies).",
        "",
        "Pages some method calls non-English (code per method; snippet to check by eye):",
        "",
    ]
    names = list(methods)
    short = ["old", "py3langid", "pycld2", "new"]
    rows = []
    for index, (page_id, text) in enumerate(pages):
        codes = [page_calls[name][index] for name in names]
        if any(c not in ("en", "und") for c in codes):
            snippet = " ".join(text.split())[:60].replace("|", "/")
            rows.append([page_id, *codes, snippet])
    lines += table(["page", *short, "snippet"], rows)
    english = [t for i, (_, t) in enumerate(pages) if all(page_calls[n][i] == "en" for n in names)]
    foreign = [
        t for i, (_, t) in enumerate(pages) if all(page_calls[n][i] not in ("en", "und") for n in names)
    ]
    lines += [
        "",
        f"Windows cut from the {len(english)} pages all methods call English and the {len(foreign)} all call "
        "non-English: share of English windows named another language / of non-English windows caught.",
        "",
    ]
    rows = []
    for size in WINDOWS:
        en_windows, xx_windows = _windows(english, size), _windows(foreign, size)
        row = [f"{size} letters ({len(en_windows)} en, {len(xx_windows)} other)"]
        for name in names[1:3]:
            wrong = sum(methods[name](w) not in ("en", "und") for w in en_windows) / len(en_windows)
            caught = sum(methods[name](w) not in ("en", "und") for w in xx_windows) / len(xx_windows)
            row += [f"{wrong:.2%}", f"{caught:.1%}"]
        rows.append(row)
    lines += table(
        [
            "window",
            "py3langid en misnamed",
            "py3langid other caught",
            "pycld2 en misnamed",
            "pycld2 other caught",
        ],
        rows,
    )
    lines += [
        "",
        f"model.language.MIN_LETTERS = {language.MIN_LETTERS}: shorter text is 'und' and is scored.",
    ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="use only the first N claims (0: all)")
    parser.add_argument("--no-save", action="store_true", help="print only; do not append to bench/results")
    args = parser.parse_args(argv)
    publish("language_id", run(args.sample), save=not args.no_save)


if __name__ == "__main__":
    main()

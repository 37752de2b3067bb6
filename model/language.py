"""Tell whether a page's text is English, the only language the model was trained on.

CLD2 (via pycld2, model compiled into the wheel, no download) decides: on one-line English
health claims it says English or "unknown" where py3langid and the old stop-word share named
other languages, and it is about ten times faster than py3langid (bench/language_id.py,
bench/results/language_id.md). Text with fewer letters than CLD2 judges reliably is "und" and
is scored, never refused; a page is "other" only when CLD2 calls its verdict reliable, its top
language is a named non-English one and English is under half of the text.
"""

from __future__ import annotations

import re

import pycld2

MIN_LETTERS = 100  # CLD2 misnamed English claims of up to 52 letters ("Antibody Testing": Scots), none above
MAX_ENGLISH_PERCENT = 50  # a page at least half English is scored
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # pycld2 rejects these as invalid UTF-8


def _letters_at_least(text: str, count: int) -> bool:
    seen = 0
    for char in text:
        seen += char.isalpha()
        if seen >= count:
            return True
    return False


def detect_language(text: str, sample_chars: int = 20_000) -> str:
    """ "en" for English text, "und" when there is too little text to tell, else "other"."""
    sample = text[:sample_chars]
    if not _letters_at_least(sample, MIN_LETTERS):
        return "und"
    raw = _CONTROL.sub(" ", sample).encode("utf-8", "replace")  # lone surrogates become "?"
    try:
        reliable, _, details = pycld2.detect(raw, isPlainText=True)
    except pycld2.error:
        return "und"
    top = details[0][1]
    english = sum(percent for _, code, percent, _ in details if code == "en")
    if top == "en" or english >= MAX_ENGLISH_PERCENT:
        return "en"
    return "other" if reliable and top != "un" else "und"

"""Tell whether a page's text is English, the only language the model was trained on.

A stop-word share is enough here: it separates English from other languages on a few dozen
words and costs one pass over the tokens, where a language-identification package would be a
dependency and a model file for a yes/no question.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH_FUNCTION_WORDS = frozenset(
    """
    the of and to a in is that for it as was with be by on not he i this are or his from at which
    but have an they you were their has had been one we will can more all would there its who she
    also our than other these into some when may could should after most such about them people
    """.split()
)
MIN_WORDS = 20
MIN_ENGLISH_SHARE = 0.12


def detect_language(text: str, sample_chars: int = 20_000) -> str:
    """ "en" for English text, "und" when there is too little text to tell, else "other"."""
    words = _WORD.findall(text[:sample_chars].lower())
    if len(words) < MIN_WORDS:
        return "und"
    share = sum(word in _ENGLISH_FUNCTION_WORDS for word in words) / len(words)
    return "en" if share >= MIN_ENGLISH_SHARE else "other"

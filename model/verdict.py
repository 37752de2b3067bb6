"""Page score and verdict from the sentence labels.

The score is the share of the page's health claims that are not flagged (higher is better): 1.0
when none is flagged (or the page makes none), 0.0 when every claim is flagged. Neutral sentences
do not count, so a long page cannot dilute a handful of unsupported claims. The verdict says what
was found and no more: with no flag it is "none-found" (the model cannot vouch for what it did not
flag, so nothing is called credible), and a small absolute floor makes one borderline flag on a
long, careful article read as "mixed" rather than as a page of unsupported claims.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from model.types import Prediction

# A page is "unsupported-claims" when at least this share of its claims is flagged and at
# least MIN_FLAGS sentences are; any flag below that makes it "mixed".
UNSUPPORTED_SHARE = 0.25
MIN_FLAGS = 2


@dataclass(frozen=True)
class PageVerdict:
    score: float
    verdict: str
    sentences: int
    unsupported: int
    supported: int


def page_verdict(predictions: Sequence[Prediction]) -> PageVerdict:
    counts = Counter(p.label for p in predictions)
    unsupported, supported = counts["unsupported"], counts["supported"]
    claims = unsupported + supported
    score = 1.0 - unsupported / claims if claims else 1.0
    if unsupported == 0:
        verdict = "none-found"
    elif unsupported >= MIN_FLAGS and unsupported / claims >= UNSUPPORTED_SHARE:
        verdict = "unsupported-claims"
    else:
        verdict = "mixed"
    return PageVerdict(round(score, 3), verdict, len(predictions), unsupported, supported)

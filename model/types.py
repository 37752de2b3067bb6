"""The values that flow between the pipeline's stages: blocks -> sentences -> predictions.

Kept in one small module so that every stage can import them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = ("unsupported", "supported", "neutral")


@dataclass(frozen=True)
class Block:
    """One block of main text (heading, paragraph, list item, quote) as a reader sees it.

    `text` has its whitespace collapsed to single spaces, so offsets into it are stable.
    """

    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Page:
    """What extraction keeps of a page: its title and its main-text blocks in reading order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Sentence:
    """A sentence with where it stands: `block` index and character offsets into that block's text."""

    text: str
    block: int
    start: int
    end: int


@dataclass(frozen=True)
class Prediction:
    """The model's answer for one sentence.

    `probability` is the calibrated probability that the sentence is `unsupported`; `label` is
    `unsupported` exactly when that probability reaches the decision threshold in use. `match` is
    the known refuted claim a flagged sentence resembles (claim, verdict, consensus, source, topic).
    """

    label: str
    probability: float
    reasons: tuple[str, ...] = ()
    match: dict[str, str] | None = None

"""Sentence splitting: abbreviations stay inside sentences and offsets index the block text."""

from __future__ import annotations

import pytest

from model.sentences import MAX_SENTENCE_CHARS, split_block, split_blocks
from model.types import Block


def texts(text: str) -> list[str]:
    return [s.text for s in split_block(text)]


@pytest.mark.parametrize(
    "text",
    [
        "In a randomized trial of 380 patients at 15 U.S. hospices, pain fell.",
        "Dr. Smith and Prof. Jones led the work.",
        "Some foods, e.g. kale, i.e. greens, were tested.",
        "The effect was described before (Smith et al., 2019) in mice.",
        "Levels rose 2.5 times over 3.75 years.",
        "Jean S. Kutner, MD, led it.",
        "Smith et al. reported it first.",
    ],
)
def test_abbreviations_and_decimals_stay_inside_one_sentence(text: str) -> None:
    assert texts(text) == [text]


def test_splits_at_terminal_punctuation_before_a_capital() -> None:
    text = 'It works. Does it? "Yes!" said Dr. Lee. 40 people came. He moved to the U.S. The study began.'
    assert texts(text) == [
        "It works.",
        "Does it?",
        '"Yes!" said Dr. Lee.',
        "40 people came.",
        "He moved to the U.S.",
        "The study began.",
    ]


def test_no_split_before_lower_case() -> None:
    assert texts("Use approx. ten grams. then stop") == ["Use approx. ten grams. then stop"]


def test_offsets_index_the_block_text_exactly() -> None:
    block = "  First one.   Second one here!  Third?"
    sentences = list(split_block(block, block=4))
    assert [s.text for s in sentences] == ["First one.", "Second one here!", "Third?"]
    for s in sentences:
        assert block[s.start : s.end] == s.text
        assert s.block == 4


def test_runaway_text_is_cut_into_bounded_pieces() -> None:
    block = "word " * 2000
    pieces = list(split_block(block))
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(block[p.start : p.end] == p.text for p in pieces)


def test_blocks_are_numbered_in_reading_order() -> None:
    sentences = split_blocks([Block("A title"), Block("One. Two."), Block("")])
    assert [(s.block, s.text) for s in sentences] == [(0, "A title"), (1, "One."), (1, "Two.")]


def test_linear_on_long_text() -> None:
    text = "This is a sentence about vitamin D and bones. " * 20_000
    assert len(texts(text)) == 20_000

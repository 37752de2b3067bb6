"""Language check: English is scored, other languages are named, short text is undecided."""

from __future__ import annotations

from model.language import detect_language

ENGLISH = (
    "The study of older adults found that those who walked more often had a lower risk of heart "
    "disease, but the researchers said it could not show that walking was the cause of it."
)
FRENCH = (
    "Le gouvernement a annoncé mardi une nouvelle série de mesures pour lutter contre la pollution "
    "de l'air dans les grandes villes du pays, selon le ministre de la santé qui a présenté le plan."
)


def test_english() -> None:
    assert detect_language(ENGLISH) == "en"


def test_other_language() -> None:
    assert detect_language(FRENCH) == "other"


def test_too_short_to_tell() -> None:
    assert detect_language("Massage helps.") == "und"

"""Language check: English is scored, other languages are named, short text is undecided."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from model.language import MIN_LETTERS, detect_language

ENGLISH = (
    "The study of older adults found that those who walked more often had a lower risk of heart "
    "disease, but the researchers said it could not show that walking was the cause of it."
)
FRENCH = (
    "Le gouvernement a annoncé mardi une nouvelle série de mesures pour lutter contre la pollution "
    "de l'air dans les grandes villes du pays, selon le ministre de la santé qui a présenté le plan."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Maßnahmen gegen die Luftverschmutzung in den großen "
    "Städten des Landes angekündigt, teilte der Gesundheitsminister mit, der den Plan vorstellte."
)
RUSSIAN = (
    "Я люблю тебя, моя дорогая мама. Сегодня очень хорошая погода, и мы пойдём гулять в парк вместе с "
    "детьми. Средняя суточная калорийность рациона должна составлять около полутора тысяч калорий."
)
JAPANESE = (
    "政府は火曜日、国内の大都市における大気汚染対策として新たな措置を発表した。保健大臣によると、"
    "この計画は今後五年間で段階的に実施され、特に子どもや高齢者の健康を守ることを目的としている。"
    "専門家は、交通量の削減と工場の排出規制が効果を上げるかどうかを注意深く見守る必要があると述べた。"
)
ONE_LINERS = [
    "Vaccines cause autism.",
    "Antibody Testing",
    "COVID-19 Antibody Testing Brings Cautious Hope",
    "Monoclonal antibody targeting of N-cadherin promotes growth.",
    "Unique identifier: NCT01603758.",
    "Garlic cures colds in a day, the blog says, and it boosts immunity.",
]
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def test_english() -> None:
    assert detect_language(ENGLISH) == "en"


@pytest.mark.parametrize("text", [FRENCH, GERMAN, RUSSIAN, JAPANESE], ids=["fr", "de", "ru", "ja"])
def test_other_language(text: str) -> None:
    assert detect_language(text) == "other"


def test_too_short_to_tell() -> None:
    assert detect_language("Massage helps.") == "und"
    assert detect_language("") == "und"


@pytest.mark.parametrize("text", ONE_LINERS)
def test_short_english_claims_are_never_other(text: str) -> None:
    assert detect_language(text) != "other"


def test_short_foreign_text_is_undecided_not_refused() -> None:
    assert detect_language("Guía para las instituciones de educación superior") == "und"


def test_input_pycld2_rejects_is_handled() -> None:
    assert detect_language("\x00\x85\ud800 " + ENGLISH) == "en"
    assert detect_language("\ud800\x01" * 5000) == "und"


@pytest.mark.parametrize("text", ONE_LINERS[:3])
def test_english_one_liner_is_scored(client: FlaskClient, text: str) -> None:
    response = client.post("/v1/score", json={"text": text})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["page"]["language"] in ("en", "und")


@pytest.mark.shared
def test_shared_english_claims_are_never_other() -> None:
    files = sorted((SHARED / "datasets").glob("*/claims.csv"))
    if not files:
        pytest.skip("../shared/datasets not present")
    refused = []
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = row["text"]
                if detect_language(text) == "other" and sum(c.isalpha() for c in text) < 2 * MIN_LETTERS:
                    refused.append(text)
    # the one claim refused is Spanish ("Preguntas frecuentes relativas a la prevención ...")
    assert all("prevención" in text for text in refused), refused

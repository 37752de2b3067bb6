"""The HTTP API through Flask's test client: shapes, status codes and bad input."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from tests.pages import seed_page_html

ARTICLE = (
    "<html><head><title>Massage news</title></head><body><article>"
    "<h1>Massage and cancer</h1>"
    "<p>In a randomized trial of 380 advanced cancer patients at 15 U.S. hospices, improvement in pain "
    "and mood immediately following treatment was greater with massage than with simple touch.</p>"
    "<p>Massage therapy has also been shown to boost the immune system and flush toxins from the body, "
    "curing many illnesses.</p></article></body></html>"
)


def error_code(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


def test_score_json_html_lists_every_sentence_with_all(client: FlaskClient) -> None:
    response = client.post("/v1/score?all=1", json={"html": ARTICLE, "url": "https://example.org/a"})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"model", "page", "claims", "timing_ms"}
    assert body["page"]["url"] == "https://example.org/a"
    assert body["page"]["title"] == "Massage news"
    assert body["page"]["sentences"] == len(body["claims"]) >= 3
    for claim in body["claims"]:
        assert claim["label"] in {"unsupported", "supported", "neutral"}
        assert 0.0 <= claim["probability"] <= 1.0
        assert claim["end"] - claim["start"] == len(claim["text"])
    assert {"extract", "classify", "total"} <= set(body["timing_ms"])


def test_default_lists_only_unsupported(client: FlaskClient) -> None:
    body = client.post("/v1/score", json={"html": ARTICLE}).get_json()
    assert all(c["label"] == "unsupported" for c in body["claims"])
    assert len(body["claims"]) == body["page"]["unsupported"]


def test_threshold_parameter_moves_the_cut(client: FlaskClient) -> None:
    everything = client.post("/v1/score?threshold=0", json={"text": ARTICLE}).get_json()
    nothing = client.post("/v1/score?threshold=1", json={"text": ARTICLE}).get_json()
    assert everything["page"]["unsupported"] == everything["page"]["sentences"]
    assert nothing["page"]["unsupported"] <= 1


def test_raw_html_body(client: FlaskClient) -> None:
    response = client.post("/v1/score", data=ARTICLE.encode(), content_type="text/html; charset=utf-8")
    assert response.status_code == 200
    assert response.get_json()["page"]["title"] == "Massage news"


def test_raw_html_in_latin1(client: FlaskClient) -> None:
    html = ARTICLE.replace("Massage news", "Café news").encode("latin-1")
    response = client.post("/v1/score", data=html, content_type="text/html; charset=iso-8859-1")
    assert response.get_json()["page"]["title"] == "Café news"


def test_seed_blog_flags_both_claims_and_drops_comment_form(client: FlaskClient) -> None:
    body = client.post("/v1/score?all=1", json={"html": seed_page_html("seed_blog_unsupported_claims.txt")})
    claims = body.get_json()["claims"]
    flagged = " ".join(c["text"] for c in claims if c["label"] == "unsupported")
    assert "excise toxins, including cancer cells" in flagged
    assert "boost the immune system by balancing" in flagged
    assert not any("commenting using your" in c["text"] for c in claims)
    assert all(c["reasons"] for c in claims if c["label"] == "unsupported")


def test_seed_news_report_trial_sentence_not_flagged(client: FlaskClient) -> None:
    body = client.post("/v1/score", json={"html": seed_page_html("seed_rct_news_report.txt")}).get_json()
    assert not any("randomized trial" in c["text"] for c in body["claims"])


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": b"", "content_type": "application/json"}, 400, "empty_body"),
        ({"data": b"{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"data": b"\xff\xfe\x00garbage", "content_type": "application/json"}, 400, "invalid_json"),
        (
            {"data": b"html=x", "content_type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        ({"json": {"html": "<p>a</p>", "text": "a"}}, 422, "invalid_field"),
        ({"json": {}}, 422, "invalid_field"),
        ({"json": {"html": 5}}, 422, "invalid_field"),
        ({"json": {"html": "  "}}, 422, "invalid_field"),
        ({"json": {"html": "<p>x</p>", "colour": 1}}, 422, "invalid_field"),
        ({"json": ["html"]}, 422, "invalid_body"),
        ({"data": b"[" * 100_000, "content_type": "application/json"}, 400, "invalid_json"),
    ],
)
def test_bad_input_gets_the_documented_error(
    client: FlaskClient, kwargs: dict, status: int, code: str
) -> None:
    response = client.post("/v1/score", **kwargs)
    assert response.status_code == status
    assert error_code(response) == code


def test_body_over_the_limit_is_413(client: FlaskClient) -> None:
    response = client.post("/v1/score", data=b"x" * (50 * 1024 * 1024), content_type="text/html")
    assert response.status_code == 413
    assert error_code(response) == "too_large"


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 100_000 + "Deep text here." + "</div>" * 100_000,
        "\x00\x01\x02 binary \x00 garbage \ufffd" * 1000,
        "<p>" + "x" * 1_000_000 + "</p>",
        "<p>\u202eright to left\u200b zero\u200dwidth</p>",
    ],
    ids=["100k-nested-tags", "binary-garbage", "one-megabyte-line", "rtl-and-zero-width"],
)
def test_pathological_html_gets_a_result_or_a_documented_error(client: FlaskClient, html: str) -> None:
    response = client.post("/v1/score", json={"html": html})
    if response.status_code != 200:
        assert (response.status_code, error_code(response)) == (422, "unsupported_language")


@pytest.mark.parametrize("prefix", ["", "Caf\\u00e9 society. "])
def test_lone_surrogates_become_replacement_characters(client: FlaskClient, prefix: str) -> None:
    text = prefix + "Garlic cures colds \\ud800 in a day, the blog says, and it boosts immunity."
    raw = ('{"text": "' + text + '", "url": "https://example.org/\\udfff"}').encode()
    response = client.post("/v1/score?all=1", data=raw, content_type="application/json")
    assert response.status_code == 200
    body = response.get_json()
    assert any("\ufffd" in claim["text"] for claim in body["claims"])
    assert body["page"]["url"] == "https://example.org/\ufffd"


def test_non_english_page_says_unsupported_language(client: FlaskClient) -> None:
    french = (
        "<p>" + "Le gouvernement a annoncé une nouvelle série de mesures pour la santé de la population. " * 5
    )
    response = client.post("/v1/score", json={"html": french + "</p>"})
    assert response.status_code == 422
    assert error_code(response) == "unsupported_language"


def test_unknown_path_and_method_are_json(client: FlaskClient) -> None:
    assert error_code(client.get("/nope")) == "not_found"
    assert error_code(client.get("/v1/score")) == "method_not_allowed"


def test_health_model_and_openapi(client: FlaskClient) -> None:
    health = client.get("/v1/health").get_json()
    assert health["status"] == "ok" and health["model"]["sha256"]
    card = client.get("/v1/model").get_json()
    assert card["sha256"] == health["model"]["sha256"] and "threshold" in card
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/v1/score", "/v1/feedback", "/v1/health", "/v1/model"} <= set(spec["paths"])


def test_feedback_is_stored_and_counted(client: FlaskClient) -> None:
    record = {
        "url": "https://e.org",
        "text": "Kale cures cancer.",
        "label": "unsupported",
        "model_label": "neutral",
    }
    first = client.post("/v1/feedback", json=record)
    second = client.post("/v1/feedback", data=json.dumps(record), content_type="application/json")
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    assert second.get_json()["count"] == first.get_json()["count"] + 1


@pytest.mark.parametrize(
    "record",
    [
        {"text": "x"},
        {"text": "x", "label": "maybe"},
        {"label": "neutral"},
        {"text": "x", "label": "neutral", "probability": 2},
    ],
)
def test_feedback_validation(client: FlaskClient, record: dict) -> None:
    response = client.post("/v1/feedback", json=record)
    assert response.status_code == 422
    assert error_code(response) == "invalid_field"


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/v1/health")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers

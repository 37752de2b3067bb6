"""Access control: API key, CORS, rate limit, security headers, and what a crash may reveal."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server import access
from server.access import SECURITY_HEADERS, RateLimiter
from server.app import create_app
from server.config import Settings

KEY = "correct horse battery staple"
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
PAGE = "<p>Massage therapy boosts the immune system and flushes toxins from the body.</p>"


def make_app(folder: Path, **settings: object) -> Flask:
    return create_app(Settings(feedback_db=folder / "feedback.sqlite3", **settings))


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A server with an API key and one allowed extension origin, no rate limit."""
    return make_app(tmp_path_factory.mktemp("guarded"), api_key=KEY, cors_origins=(EXTENSION,), rate_limit=0)


@pytest.fixture
def guarded_client(guarded: Flask) -> FlaskClient:
    return guarded.test_client()


def error_code(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


@pytest.mark.parametrize(
    "headers", [{}, {"X-API-Key": ""}, {"X-API-Key": KEY[:-1]}, {"X-API-Key": KEY + "x"}]
)
@pytest.mark.parametrize(
    ("method", "path"), [("post", "/v1/score"), ("post", "/v1/feedback"), ("get", "/v1/model")]
)
def test_missing_or_wrong_key_is_401_json(
    guarded_client: FlaskClient, headers: dict, method: str, path: str
) -> None:
    response = getattr(guarded_client, method)(path, headers=headers, json={"html": PAGE})
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"
    assert KEY not in response.get_data(as_text=True)


def test_right_key_is_let_in(guarded_client: FlaskClient) -> None:
    response = guarded_client.post("/v1/score", headers={"X-API-Key": KEY}, json={"html": PAGE})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/v1/health", "/openapi.json"])
def test_health_and_openapi_need_no_key(guarded_client: FlaskClient, path: str) -> None:
    assert guarded_client.get(path).status_code == 200


def test_key_is_compared_in_constant_time(
    guarded_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    guarded_client.get("/v1/model", headers={"X-API-Key": "guess"})
    assert compared == [(b"guess", KEY.encode())]


def test_cors_allows_the_configured_extension_only(guarded_client: FlaskClient) -> None:
    allowed = guarded_client.get("/v1/health", headers={"Origin": EXTENSION})
    assert allowed.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert allowed.headers["Vary"] == "Origin"
    for origin in ("https://evil.example", "chrome-extension://someoneelse", "null"):
        response = guarded_client.get("/v1/health", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in response.headers


def preflight(client: FlaskClient, origin: str):
    return client.options(
        "/v1/score",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-api-key",
        },
    )


def test_preflight_from_the_extension_needs_no_key_and_allows_the_key_header(
    guarded_client: FlaskClient,
) -> None:
    response = preflight(guarded_client, EXTENSION)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert {"content-type", "x-api-key"} <= {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }


def test_preflight_from_elsewhere_gets_no_cors_headers(guarded_client: FlaskClient) -> None:
    response = preflight(guarded_client, "https://evil.example")
    assert not any(name.startswith("Access-Control-") for name, _ in response.headers.items())


def test_no_cors_origins_by_default(client: FlaskClient) -> None:
    response = client.get("/v1/health", headers={"Origin": EXTENSION})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("get", "/v1/health", {}),
        ("get", "/nope", {}),
        ("post", "/v1/score", {}),
        ("post", "/v1/score", {"headers": {"X-API-Key": KEY}, "json": {"html": PAGE}}),
    ],
)
def test_security_headers_on_every_response(
    guarded_client: FlaskClient, method: str, path: str, kwargs
) -> None:
    response = getattr(guarded_client, method)(path, **kwargs)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_rate_limit_is_429_with_retry_after(tmp_path: Path) -> None:
    client = make_app(tmp_path, rate_limit=3).test_client()
    assert [client.get("/v1/model").status_code for _ in range(3)] == [200] * 3
    limited = client.get("/v1/model")
    assert limited.status_code == 429
    assert error_code(limited) == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 20
    assert client.get("/v1/health").status_code == 200, "health checks are never rate limited"
    other = client.get("/v1/model", environ_overrides={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200, "the limit is per client address"


def test_rate_limiter_refills_over_time() -> None:
    limiter = RateLimiter(per_minute=60)
    assert all(limiter.retry_after("a", now=0.0) == 0 for _ in range(60))
    assert limiter.retry_after("a", now=0.0) == 1
    assert limiter.retry_after("a", now=0.5) == 1
    assert limiter.retry_after("a", now=1.5) == 0
    assert limiter.retry_after("b", now=1.5) == 0


SECRET = "Zyxwvut quokka elixir dissolves kidney stones overnight"


def test_crash_gives_500_json_without_traceback_or_page_text(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(html: str, **options: object) -> dict:
        raise RuntimeError(f"could not score {html!r}")

    monkeypatch.setattr(app.extensions["credibility"]["model"].scorer, "score_html", explode)
    caplog.set_level(logging.DEBUG)
    response = client.post("/v1/score", json={"html": f"<p>{SECRET}</p>", "url": "https://secret.example/x"})
    assert response.status_code == 500
    assert error_code(response) == "internal"
    body = response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text, "the failure is logged (by type and place)"
    for leak in (SECRET, "secret.example", "Traceback", "explode"):
        assert leak not in body
        assert leak not in caplog.text

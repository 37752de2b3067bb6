"""Property-based tests: generated HTML, bytes and JSON bodies never get a 5xx or an undocumented answer.

The OpenAPI document is the oracle: every response must carry a status the document lists for
that operation and a body its schema accepts, and a JSON body the document's request schema
accepts must not be refused as malformed. Runs through the Flask test client, which skips the
network and the worker processes, so CI can afford thousands of cases; `pytest
--hypothesis-show-statistics` shows how the cases spread over the status codes.
"""

from __future__ import annotations

import gc
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from server.app import create_app
from server.budget import BudgetExceeded, time_budget
from server.config import Settings
from server.openapi import openapi_document


def fuzz(examples: int) -> settings:
    """Deterministic in CI (a failure there reproduces locally with CI=1); fresh cases elsewhere."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


NASTY = [
    "\x00", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069",
    "\u05d0\u05d1", "\u0627\u0644\u0635\u062d\u0629", "\u4e2d\u6587", "\U0001f600", "\ufffd", "\r\n",
    "\u2028", "\u0085", "\x0b", "&amp;", "&#0;", "&#x110000;", "&nbsp;", "<!--", "-->", "<![CDATA[",
    "]]>", "<?xml ?>", "<!DOCTYPE html>", "</", "<", ">", "\"'", "e\u0301", "\ud800",
]  # fmt: skip
ENGLISH = [
    "Massage therapy boosts the immune system and flushes toxins from the body.",
    "In a randomized trial of 380 patients, pain improved more with massage than with touch.",
    "The clinic opens at nine on weekdays and is closed on public holidays.",
    "Drinking lemon water every morning cures cancer, according to my neighbour.",
]
TAGS = [
    "div", "p", "span", "article", "main", "section", "h1", "h2", "li", "ul", "ol", "table", "tr",
    "td", "a", "b", "i", "em", "br", "img", "script", "style", "noscript", "template", "iframe",
    "svg", "math", "pre", "code", "blockquote", "form", "input", "textarea", "nav", "footer", "x-y",
]  # fmt: skip

words = st.one_of(st.sampled_from(ENGLISH), st.sampled_from(NASTY), st.text(max_size=40))
texts = st.lists(words, max_size=6).map(" ".join)
attributes = st.dictionaries(
    st.one_of(
        st.sampled_from(["class", "id", "style", "href", "onclick", "lang", "dir"]), st.text(max_size=8)
    ),
    texts,
    max_size=3,
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, attrs: dict[str, str], inner: list[str], closed: bool) -> str:
        attr_text = "".join(f' {name}="{value}"' for name, value in attrs.items())
        return f"<{tag}{attr_text}>{''.join(inner)}" + (f"</{tag}>" if closed else "")

    return st.builds(render, st.sampled_from(TAGS), attributes, st.lists(children, max_size=4), st.booleans())


html_trees = st.recursive(texts, _element, max_leaves=20)
deep_nesting = st.builds(
    lambda tag, depth, text: f"<{tag}>" * depth + text + f"</{tag}>" * depth,
    st.sampled_from(TAGS),
    st.integers(1, 5_000),
    texts,
)
# One line of up to 50,000 characters (test_api sends a million once): enough to expose a
# quadratic path, small enough for a thousand cases in CI.
huge_lines = st.builds(
    lambda unit, chars: unit * max(1, chars // len(unit)),
    st.sampled_from([*NASTY, *ENGLISH, "x"]),
    st.integers(1, 50_000),
)
broken = st.builds(lambda html, cut, junk: html[:cut] + junk, html_trees, st.integers(0, 200), texts)
pages = st.one_of(html_trees, deep_nesting, huge_lines, broken)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def objects_over(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects mostly made of the operation's own fields, with wrong types and strays mixed in."""
    values = st.one_of(
        json_values, texts, st.sampled_from(["unsupported", "supported", "neutral", "<p>x</p>"])
    )
    return st.dictionaries(st.one_of(st.sampled_from(keys), st.text(max_size=8)), values, max_size=5)


SPEC = "urn:claim-credibility:openapi"


LABELS = st.sampled_from(["unsupported", "supported", "neutral"])
feedback_records = st.fixed_dictionaries(
    {"text": texts, "label": LABELS},
    optional={
        "url": st.none() | texts,
        "model_label": st.none() | LABELS,
        "probability": st.none() | st.floats(0, 1),
        "model_version": st.none() | texts,
    },
)


@cache
def _registry() -> Registry:
    return Registry().with_resource(SPEC, DRAFT202012.create_resource(openapi_document()))


def _validator(*where: str) -> Draft202012Validator:
    """A validator for the schema at that place in the document, its `$ref`s resolved in the document."""
    pointer = "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in where)
    return Draft202012Validator({"$ref": f"{SPEC}#{pointer}"}, registry=_registry())


def assert_documented(path: str, response: Any, method: str = "post") -> None:
    """Status listed for the operation, JSON body valid against that status's schema."""
    status = str(response.status_code)
    if currently_in_test_context():
        event(f"status {status} {response.get_json().get('error', {}).get('code', '')}".strip())
    assert status in openapi_document()["paths"][path][method]["responses"], (
        status,
        response.get_data()[:300],
    )
    assert response.mimetype == "application/json"
    where = ("paths", path, method, "responses", status, "content", "application/json", "schema")
    errors = [e.message for e in _validator(*where).iter_errors(response.get_json())]
    assert not errors, errors[:3]


def accepted_by_spec(path: str, body: Any) -> bool:
    """Whether the document's request schema accepts `body` (NaN and infinities are not JSON)."""
    try:
        json.dumps(body, allow_nan=False)
    except ValueError:
        return False
    where = ("paths", path, "post", "requestBody", "content", "application/json", "schema")
    return _validator(*where).is_valid(body)


def post_json(app: Flask, path: str, body: Any) -> Any:
    """Serialised by hand so lone surrogates and NaN go out exactly as a careless client sends them."""
    return app.test_client().post(path, data=json.dumps(body), content_type="application/json")


def assert_spec_agrees(path: str, body: Any, response: Any) -> None:
    assert_documented(path, response)
    code = response.get_json().get("error", {}).get("code")
    if accepted_by_spec(path, body):
        assert code in (None, "unsupported_language", "timeout"), (body, response.get_json())
    else:
        assert response.status_code in (400, 422), (body, response.get_json())


@fuzz(400)
@given(html=pages, url=st.none() | texts, include_all=st.booleans())
def test_generated_html_is_scored_or_refused_cleanly(
    app: Flask, html: str, url: str | None, include_all: bool
) -> None:
    body = {"html": html} if url is None else {"html": html, "url": url}
    response = post_json(app, "/v1/score" + ("?all=1" if include_all else ""), body)
    assert_spec_agrees("/v1/score", body, response)
    if response.status_code == 200:
        for claim in response.get_json()["claims"]:
            assert claim["end"] - claim["start"] == len(claim["text"])


@fuzz(200)
@given(text=texts | huge_lines)
def test_generated_text_is_scored_or_refused_cleanly(app: Flask, text: str) -> None:
    response = post_json(app, "/v1/score", {"text": text})
    assert_spec_agrees("/v1/score", {"text": text}, response)


CHARSETS = ["utf-8", "latin-1", "utf-16", "shift_jis", "koi8-r", "bogus", "utf-7", "cp1252", ""]
CONTENT_TYPES = [
    "text/html",
    "application/xhtml+xml",
    "application/json",
    "text/plain",
    "multipart/form-data",
    "",
]


@st.composite
def raw_bodies(draw: st.DrawFn) -> tuple[bytes, str]:
    """(body bytes, Content-Type): encoded pages, random bytes, declared and undeclared charsets."""
    charset = draw(st.sampled_from(CHARSETS))
    page = draw(pages).replace("\ud800", "")
    encoded = (
        page.encode(charset or "utf-8", errors="replace") if charset not in ("bogus",) else page.encode()
    )
    body = draw(
        st.one_of(
            st.just(encoded),
            st.binary(max_size=2000),
            st.builds(bytes.__add__, st.just(encoded), st.binary(max_size=50)),
        )
    )
    mimetype = draw(st.sampled_from(CONTENT_TYPES))
    return body, f"{mimetype}; charset={charset}" if charset and mimetype else mimetype


@fuzz(300)
@given(raw=raw_bodies())
def test_raw_bodies_of_any_type_and_encoding(app: Flask, raw: tuple[bytes, str]) -> None:
    body, content_type = raw
    response = app.test_client().post("/v1/score", data=body, content_type=content_type or None)
    assert_documented("/v1/score", response)


@fuzz(500)
@given(body=json_values | objects_over(["html", "text", "url"]))
def test_generated_score_bodies_match_the_spec(app: Flask, body: Any) -> None:
    assert_spec_agrees("/v1/score", body, post_json(app, "/v1/score", body))


@fuzz(500)
@given(
    body=json_values
    | objects_over(["url", "text", "label", "model_label", "probability", "model_version"])
    | feedback_records
)
def test_generated_feedback_bodies_match_the_spec(app: Flask, body: Any) -> None:
    response = post_json(app, "/v1/feedback", body)
    assert_spec_agrees("/v1/feedback", body, response)


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "idna", "punycode", "undefined"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_non_text_charsets_are_not_a_server_error(app: Flask, charset: str, where: str) -> None:
    """Codecs Python knows but that do not turn bytes into text, declared by the client or the page."""
    page = f'<html><head><meta charset="{charset}"></head><body><p>Caf\xe9 \x80 text.</p></body></html>'
    content_type = "text/html" + (f"; charset={charset}" if where == "header" else "")
    response = app.test_client().post("/v1/score", data=page.encode("latin-1"), content_type=content_type)
    assert_documented("/v1/score", response)


def test_time_budget_turns_a_slow_page_into_503_and_the_worker_carries_on(tmp_path: Path) -> None:
    slow = create_app(Settings(feedback_db=tmp_path / "fb.sqlite3", rate_limit=0, request_timeout=0.3))
    client = slow.test_client()
    deep = "<div>" * 100_000 + "<p>Deep text.</p>" + "</div>" * 100_000
    # Hypothesis leaves a gc callback installed in this process; an alarm landing inside it is
    # handed to pytest's unraisable-exception hook, which then fails. No such hook in the server.
    gc.disable()
    try:
        response = client.post("/v1/score", json={"html": deep})
    finally:
        gc.enable()
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "timeout"
    assert client.post("/v1/score", json={"text": "Short text."}).status_code == 200


class _SlowFinaliser:
    """Sleeps in __del__, where the interpreter prints and drops any exception, the alarm's too."""

    def __del__(self) -> None:
        time.sleep(0.2)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_budget_survives_an_alarm_swallowed_by_a_finaliser() -> None:
    started = time.monotonic()
    with pytest.raises(BudgetExceeded), time_budget(0.05):
        _SlowFinaliser()
        time.sleep(2)
    assert time.monotonic() - started < 1

"""The HTTP API v1: score, feedback, health, model card, reload, OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from model.artifact import ModelError
from model.scoring import UnsupportedLanguage
from server.budget import BudgetExceeded, time_budget
from server.errors import ApiError
from server.openapi import openapi_document
from server.payload import feedback_request, score_request, threshold_param

api = Blueprint("api", __name__)


def _state() -> dict[str, Any]:
    return current_app.extensions["credibility"]


@api.post("/v1/score")
def score() -> Response:
    state = _state()
    settings, scorer = state["settings"], state["model"].scorer
    threshold = threshold_param(request.args.get("threshold"))
    if threshold is None:
        threshold = settings.threshold
    include_all = request.args.get("all", "") in ("1", "true", "yes")
    try:
        with time_budget(settings.request_timeout):
            body = score_request(request)
            score_page = scorer.score_html if body.kind == "html" else scorer.score_text
            report = score_page(body.content, url=body.url, threshold=threshold, include_all=include_all)
    except UnsupportedLanguage as exc:
        raise ApiError(422, "unsupported_language", str(exc)) from None
    except BudgetExceeded:
        raise ApiError(
            503,
            "timeout",
            f"scoring took longer than {settings.request_timeout:g} s; the page was not scored",
        ) from None
    return jsonify(report)


@api.post("/v1/feedback")
def feedback() -> tuple[Response, int]:
    row_id, count = _state()["feedback"].add(feedback_request(request))
    return jsonify({"id": row_id, "count": count}), 201


@api.get("/v1/health")
def health() -> Response:
    return jsonify({"status": "ok", "model": _state()["model"].scorer.identity})


@api.get("/v1/model")
def model_card() -> Response:
    return jsonify(_state()["model"].scorer.card)


@api.post("/v1/model/reload")
def reload_model() -> Response:
    try:
        scorer = _state()["model"].reload()
    except ModelError as exc:
        raise ApiError(409, "reload_failed", f"{exc}; still serving the previous model") from None
    return jsonify({"status": "reloaded", "model": scorer.identity})


@api.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())

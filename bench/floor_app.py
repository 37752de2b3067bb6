"""The BeautifulSoup floor as a web service: parse the posted page, answer with its text's length.

`bench.http_load` serves this with the same gunicorn worker count and the same request mix as the
real server. Its latency is what any BeautifulSoup pipeline pays on this machine before doing
anything useful, the HTTP counterpart of the in-process `bs4 floor` of `bench.speed`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from bs4 import BeautifulSoup


def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """WSGI: GET /v1/health answers ok; any POST is a JSON body whose `html` is parsed."""
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        html = json.loads(environ["wsgi.input"].read(length))["html"]
        body = json.dumps({"chars": len(BeautifulSoup(html, "lxml").get_text("\n"))}).encode()
    else:
        body = b'{"status": "ok"}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

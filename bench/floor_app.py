"""The BeautifulSoup floor as a web service: parse the posted page, answer with its text's length.

`bench.http_load` serves this with the same gunicorn worker count and the same request mix as the
real server. Its latency is what any BeautifulSoup pipeline pays on this machine before doing
anything useful, the HTTP counterpart of the in-process `bs4 floor` of `bench.speed`. It gets the
server's garbage-collector care too (each tree freed by reference counting, the long-lived heap
frozen), so the ratio to it measures our work, not the collector's.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable

from bs4 import BeautifulSoup


def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """WSGI: GET /v1/health answers ok; any POST is a JSON body whose `html` is parsed."""
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        html = json.loads(environ["wsgi.input"].read(length))["html"]
        soup = BeautifulSoup(html, "lxml")
        body = json.dumps({"chars": len(soup.get_text("\n"))}).encode()
        soup.clear(decompose=True)
    else:
        body = b'{"status": "ok"}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


gc.collect()
gc.freeze()

"""`python -m server` refuses to start, at once and in words, where starting would be wrong."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from server.__main__ import is_loopback, start_problem
from server.config import Settings
from tests.conftest import free_port


def test_loopback_addresses_are_recognised() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.5.0.1", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "example.org"))


def test_an_open_address_without_a_key_is_refused_unless_insecure() -> None:
    port = free_port()
    problem = start_problem(Settings(host="0.0.0.0", port=port), insecure=False)
    assert problem and "API key" in problem and "--insecure-no-key" in problem
    assert start_problem(Settings(host="0.0.0.0", port=port, api_key="secret"), insecure=False) is None


def test_a_taken_port_is_named_and_the_command_exits_2_at_once() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert f"port {port} is in use" in start_problem(Settings(port=port), insecure=False)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "server", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert f"port {port} is in use" in done.stderr
    assert "serving on" not in done.stdout
    assert time.monotonic() - started < 30

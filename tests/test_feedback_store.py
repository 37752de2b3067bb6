"""Feedback durability: concurrent writers, a server killed mid-load, unusable database files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from server.feedback import FeedbackStore, FeedbackStoreError
from tests.conftest import ROOT, free_port, start_server, stop_server

WRITERS, SUBMISSIONS = 50, 100


def record(text: str, url: str = "https://example.org/page", label: str = "unsupported") -> dict[str, Any]:
    return {
        "url": url,
        "text": text,
        "label": label,
        "model_label": "neutral",
        "probability": 0.4,
        "model_version": "test",
    }


def in_threads(count: int, work: Any) -> list[Any]:
    """Run work(i) in `count` threads started together; their return values, in order."""
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_writers_each_land_exactly_once(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")

    def writer(i: int) -> list[int]:
        return [store.add(record(f"writer {i} sentence {j}."))[0] for j in range(SUBMISSIONS)]

    started = time.perf_counter()
    acknowledged = [row_id for ids in in_threads(WRITERS, writer) for row_id in ids]
    seconds = time.perf_counter() - started
    print(f"{WRITERS} writers x {SUBMISSIONS}: {len(acknowledged)} acknowledged in {seconds:.1f} s")
    rows = list(store.rows())
    assert len(rows) == WRITERS * SUBMISSIONS
    assert sorted(acknowledged) == sorted(row["id"] for row in rows)
    assert {row["text"] for row in rows} == {
        f"writer {i} sentence {j}." for i in range(WRITERS) for j in range(SUBMISSIONS)
    }
    assert all(row["count"] == 1 for row in rows)


def test_identical_submissions_share_one_row_and_count_every_one(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    same = record("Kale cures cancer.")
    results = in_threads(10, lambda i: [store.add(same) for _ in range(20)])
    counts = sorted(count for answers in results for _, count in answers)
    assert counts == list(range(1, 201))
    (row,) = store.rows()
    assert row["count"] == 200


def test_database_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "feedback.sqlite3"
    FeedbackStore(path)
    header = path.read_bytes()[:20]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x02\x02", "file format bytes 2/2 mean WAL"


def test_garbage_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(FeedbackStoreError, match=str(path)):
        FeedbackStore(path)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` unwritable even for root (which ignores permission bits): chattr +i there."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)]).returncode:
        pytest.skip("running as root and chattr +i is not available, so nothing can be made read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_read_only_database_file_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    FeedbackStore(path).add(record("Written before the file became read-only."))
    with read_only(path), pytest.raises(FeedbackStoreError, match="readonly"):
        FeedbackStore(path)


def test_read_only_directory_is_refused_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder), pytest.raises(FeedbackStoreError, match=str(folder)):
        FeedbackStore(folder / "feedback.sqlite3")


def server_start_error(db: Path) -> str:
    """stderr of `python -m server` started on `db`, which must exit non-zero before serving."""
    command = [sys.executable, "-m", "server", "--port", str(free_port()), "--feedback-db", str(db)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0, "the server started on an unusable database"
    return done.stderr


def test_server_refuses_to_start_on_a_corrupt_database(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    db.write_bytes(b"not a database at all " * 500)
    stderr = server_start_error(db)
    assert f"feedback database {db}" in stderr and "not a database" in stderr
    assert "Traceback" not in stderr


def test_server_refuses_to_start_on_a_read_only_database(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    FeedbackStore(db)
    with read_only(db):
        stderr = server_start_error(db)
    assert f"feedback database {db}" in stderr and "readonly" in stderr


def post_feedback(url: str, text: str) -> int | None:
    """The stored row id if the server acknowledged the correction with 201, else None."""
    request = urllib.request.Request(
        url + "/v1/feedback",
        data=json.dumps(record(text)).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["id"] if response.status == 201 else None
    except (OSError, urllib.error.HTTPError, ValueError):
        return None


def kill_server_now(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the gunicorn master, so it cannot respawn anything, then every worker mid-request."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for pid in [process.pid, *map(int, children)]:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.mark.e2e
def test_acknowledged_feedback_survives_sigkill_mid_load(tmp_path: Path) -> None:
    url, process = start_server(tmp_path, "--rate-limit", "0")
    acknowledged: dict[str, int] = {}
    lock, stop = threading.Lock(), threading.Event()

    def hammer(i: int) -> None:
        n = 0
        while not stop.is_set():
            text = f"client {i} correction {n}."
            row_id = post_feedback(url, text)
            if row_id is not None:
                with lock:
                    acknowledged[text] = row_id
            n += 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    try:
        while len(acknowledged) < 300 and all(t.is_alive() for t in threads):
            stop.wait(0.05)
        kill_server_now(process)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    url, process = start_server(tmp_path, "--rate-limit", "0")
    try:
        stored = {row["text"]: row["id"] for row in FeedbackStore(tmp_path / "feedback.sqlite3").rows()}
        assert post_feedback(url, "after the restart.") is not None
    finally:
        stop_server(process)
    assert len(acknowledged) >= 300
    lost = {text for text in acknowledged if stored.get(text) != acknowledged[text]}
    print(f"SIGKILL mid-load: {len(acknowledged)} acknowledged, {len(lost)} lost, {len(stored)} stored")
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged corrections lost"

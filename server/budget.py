"""A wall-clock budget per scoring request, so pathological input gets an error, not a hung worker.

It uses SIGALRM, which only the main thread of a process can receive: that is where gunicorn's
sync workers (and the test client) run requests. Elsewhere the budget is skipped and gunicorn's
own worker timeout remains the backstop.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# Once expired, the alarm repeats until the request gives up: an exception raised while the
# interpreter runs a garbage-collector callback or a __del__ method is printed and dropped, so
# a single alarm can be lost and the request would run on unbounded.
_RETRY_SECONDS = 0.05


class BudgetExceeded(Exception):
    pass


def _expire(signum: int, frame: FrameType | None) -> None:
    raise BudgetExceeded


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _RETRY_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

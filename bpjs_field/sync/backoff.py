"""When to try the next sync: exponential backoff with jitter, and connectivity
judged from real request outcomes rather than the operating system's network flag.

`Backoff.next_delay()` grows 2 s, 4 s, 8 s … up to five minutes, each drawn at
random between half and the full value ("equal jitter"), so laptops that lost
the server together do not return to it in step.  `Connectivity` keeps the
last five outcomes: the server counts as reachable while at most two of them
failed (lps' ConnectivityHelper).
"""

from __future__ import annotations

import random
from collections import deque


class Backoff:
    def __init__(self, base: float = 2.0, factor: float = 2.0, maximum: float = 300.0,
                 rng: random.Random | None = None) -> None:
        self.base = base
        self.factor = factor
        self.maximum = maximum
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """Record a failure and return seconds to wait before the next attempt."""
        ceiling = min(self.maximum, self.base * self.factor ** self.failures)
        self.failures += 1
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0


class Connectivity:
    def __init__(self, window: int = 5, max_failures: int = 2) -> None:
        self._outcomes: deque[bool] = deque(maxlen=window)
        self.max_failures = max_failures

    def record(self, ok: bool) -> None:
        self._outcomes.append(ok)

    @property
    def known(self) -> bool:
        return bool(self._outcomes)

    @property
    def online(self) -> bool:
        """Reachable by the evidence of the last requests (unknown counts as reachable)."""
        if not self._outcomes:
            return True
        if self._outcomes[-1]:
            return True
        return sum(1 for ok in self._outcomes if not ok) <= self.max_failures

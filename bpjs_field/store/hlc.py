"""Hybrid logical clock: orders edits across laptops even when their clocks disagree.

A timestamp is wall milliseconds, a counter and the device id, written as a
fixed-width string so that string order is time order:
`0001795000000000-000000-<device>`.  `now()` never goes backwards on one device;
`observe()` folds in a timestamp seen from elsewhere (the server, a pull), and
`offset_ms` lets the sync client correct a laptop clock known to be off.
"""

from __future__ import annotations

import threading
import time


def format_hlc(wall_ms: int, counter: int, device: str) -> str:
    return f"{wall_ms:016d}-{counter:06d}-{device}"


def parse_hlc(text: str) -> tuple[int, int, str]:
    wall, counter, device = text.split("-", 2)
    return int(wall), int(counter), device


class HybridClock:
    def __init__(self, device: str, last: str | None = None, offset_ms: int = 0) -> None:
        self.device = device
        self.offset_ms = offset_ms
        self._lock = threading.Lock()
        self._wall, self._counter = 0, 0
        if last:
            self._wall, self._counter, _ = parse_hlc(last)

    def _physical(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    def now(self) -> str:
        with self._lock:
            physical = self._physical()
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._counter += 1
            return format_hlc(self._wall, self._counter, self.device)

    def observe(self, remote: str) -> None:
        wall, counter, _ = parse_hlc(remote)
        with self._lock:
            if (wall, counter) > (self._wall, self._counter):
                self._wall, self._counter = wall, counter

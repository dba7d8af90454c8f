"""A fake serial receipt printer on a pseudo-terminal (os.openpty): the app opens
its slave end like a COM port or /dev/rfcomm0; this side plays the printer.

It reads what the app sends at a printer's pace, answers the ESC/POS paper
status request (DLE EOT 4) like a real printer (paper present, or out), and can
misbehave the way printers in the field do: `vanish_after=n` closes the line
after n bytes (switched off, Bluetooth out of range: the app's next write or
read fails), `silent_after=n` stops reading and answering but keeps the line
open (a printer that hangs).
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty

PAPER_STATUS = b"\x10\x04\x04"
PAPER_OK = 0x12
PAPER_OUT = 0x72


class FakeSerialPrinter(threading.Thread):
    def __init__(self, *, paper: bool = True, answers: bool = True, vanish_after: int | None = None,
                 silent_after: int | None = None, bytes_per_s: float = 100_000) -> None:
        super().__init__(name="fake-printer", daemon=True)
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.paper = paper
        self.answers = answers
        self.vanish_after = vanish_after
        self.silent_after = silent_after
        self.bytes_per_s = bytes_per_s
        self.received = bytearray()
        self.status_requests = 0
        self.gone = threading.Event()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            if self.silent_after is not None and len(self.received) >= self.silent_after:
                time.sleep(0.05)
                continue
            ready, _w, _x = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 512)
            except OSError:
                continue  # no one has the port open right now
            self.received += chunk
            if chunk.endswith(PAPER_STATUS):
                self.status_requests += 1
                if self.answers:
                    os.write(self.master, bytes([PAPER_OK if self.paper else PAPER_OUT]))
            if self.vanish_after is not None and len(self.received) >= self.vanish_after:
                self._vanish()
                return
            time.sleep(len(chunk) / self.bytes_per_s)

    def _vanish(self) -> None:
        os.close(self.master)
        os.close(self.slave)
        self.gone.set()

    @property
    def job(self) -> bytes:
        """What was printed: the stream less the status requests."""
        return bytes(self.received).replace(PAPER_STATUS, b"")

    def stop(self) -> None:
        self._halt.set()
        self.join(2)
        if not self.gone.is_set():
            for fd in (self.master, self.slave):
                try:
                    os.close(fd)
                except OSError:
                    pass

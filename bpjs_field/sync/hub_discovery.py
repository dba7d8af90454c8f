"""Finding the event's hub on the venue's network (mDNS/DNS-SD, `_bpjs-hub._tcp.local.`).

The hub announces itself on the address it serves on only, with its laptop's name, the
officer and its branch's hint (the first 8 hex digits of SHA-256 of the branch server id),
never the certificate's fingerprint nor the join key: discovery tells the officer which hub
is there; the join code or QR still proves it is that hub (no trust on first use).
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

SERVICE = "_bpjs-hub._tcp.local."
SETTLE_S = 1.0  # a search ends this long after the last hub that answered


@dataclass(frozen=True)
class FoundHub:
    name: str
    host: str
    port: int
    officer: str
    branch_hint: str


def branch_hint(branch_server_id: str) -> str:
    return hashlib.sha256(branch_server_id.encode("utf-8")).hexdigest()[:8]


def _zeroconf(host: str) -> Any:
    from zeroconf import IPVersion, Zeroconf
    return Zeroconf(interfaces=[host], ip_version=IPVersion.V4Only)


class Announcement:
    """The hub's announcement on `host` while it runs; `close()` withdraws it."""

    def __init__(self, host: str, port: int, name: str, officer: str, branch_server_id: str) -> None:
        from zeroconf import ServiceInfo
        self._zc = _zeroconf(host)
        label = "".join(ch for ch in name if ch.isalnum() or ch in "-_ ")[:40] or "hub"
        self.info = ServiceInfo(
            SERVICE, f"{label} {port}.{SERVICE}", addresses=[socket.inet_aton(host)], port=port,
            properties={"officer": officer[:40], "branch": branch_hint(branch_server_id), "v": "1"},
            server=f"bpjs-hub-{port}.local.")
        self._zc.register_service(self.info)

    def close(self) -> None:
        try:
            self._zc.unregister_service(self.info)
        finally:
            self._zc.close()


def browse(interface: str, seconds: float = 3.0, branch_server_id: str | None = None) -> list[FoundHub]:
    """The hubs answering on `interface`'s network within `seconds` (of this branch only,
    when its server id is given).  Every hub that answers is listed, not only those heard
    before the first: at a venue with two hubs (another branch's, or the one started after
    the first hub's battery died) the search returns once no new hub has answered for
    SETTLE_S after the last one of this branch, or at `seconds`."""
    from zeroconf import ServiceBrowser, ServiceStateChange
    zc = _zeroconf(interface)
    names: list[str] = []
    heard = threading.Event()

    def changed(zeroconf: Any, service_type: str, name: str, state_change: Any) -> None:
        if state_change is ServiceStateChange.Added:
            names.append(name)
            heard.set()

    browser = ServiceBrowser(zc, SERVICE, handlers=[changed])
    deadline = time.monotonic() + seconds
    found: list[FoundHub] = []
    resolved = 0
    last_found: float | None = None
    try:
        while True:
            heard.clear()
            while resolved < len(names):
                hub = _resolve(zc, names[resolved], branch_server_id, seconds)
                resolved += 1
                if hub is not None and hub not in found:
                    found.append(hub)
                    last_found = time.monotonic()
            now = time.monotonic()
            if now >= deadline or (last_found is not None and now - last_found >= SETTLE_S):
                return sorted(found, key=lambda h: h.name)
            heard.wait(min(deadline - now, SETTLE_S))
    finally:
        browser.cancel()
        zc.close()


def _resolve(zc: Any, name: str, branch_server_id: str | None, seconds: float) -> FoundHub | None:
    info = zc.get_service_info(SERVICE, name, timeout=int(seconds * 1000))
    if info is None or not info.parsed_addresses():
        return None
    props = {k.decode(): (v or b"").decode("utf-8", "replace") for k, v in info.properties.items()}
    if branch_server_id and props.get("branch") != branch_hint(branch_server_id):
        return None
    return FoundHub(name.removesuffix("." + SERVICE), info.parsed_addresses()[0],
                    int(info.port or 0), props.get("officer", ""), props.get("branch", ""))

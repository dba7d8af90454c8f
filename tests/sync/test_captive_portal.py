"""Venue Wi-Fi that starts with a login page: a real little HTTP server on 127.0.0.1 acts as
the captive portal (redirects, a login page, 408/429/511, a proxy's own answers) until the
officer "logs in", then passes requests on to the real branch server.  Sync calls these
answers "not reachable yet" (or "Wi-Fi perlu login di peramban"), changes nothing, and the
GUI keeps retrying with backoff until it gets through, without a click."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bpjs_field.messages import render
from bpjs_field.sync.backoff import Backoff
from bpjs_field.sync.client import SyncError
from bpjs_field.sync.engine import SERVER_URL, SyncEngine

LOGIN_PAGE = (b"<!DOCTYPE html><html><head><title>Login WiFi Gratis</title></head><body>"
              b"<form action='/login'>Nomor HP <input name='hp'></form></body></html>")


class Portal:
    """Answers as a captive portal does (`mode`) until `logged_in`, then forwards."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.mode = "redirect"
        self.logged_in = False
        self.seen = 0
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                portal.seen += 1
                if portal.logged_in:
                    headers = {k: v for k, v in self.headers.items()
                               if k.lower() not in ("host", "content-length")}
                    r = httpx.request(self.command, portal.upstream + self.path, content=body,
                                      headers=headers, timeout=10)
                    self._send(r.status_code, r.content, {
                        k: v for k, v in r.headers.items()
                        if k.lower() in ("content-type", "x-server-time", "retry-after")})
                    return
                mode = portal.mode
                if mode == "redirect":
                    self._send(302, b"", {"Location": "http://login.wifi-gratis.test/?u=1"})
                elif mode == "page":
                    self._send(200, LOGIN_PAGE, {"Content-Type": "text/html; charset=utf-8"})
                elif mode == "page_as_json":  # a portal that keeps the Content-Type it was asked
                    self._send(200, LOGIN_PAGE, {"Content-Type": "application/json"})
                elif mode in ("408", "429", "511", "403"):
                    self._send(int(mode), b"Request blocked by the network",
                               {"Content-Type": "text/plain"})
                elif mode == "json_200":  # a proxy's own JSON, not the server's
                    self._send(200, b'{"status": "ok"}', {"Content-Type": "application/json"})

            def _send(self, status: int, body: bytes, headers: dict) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def portal(server):
    p = Portal(server.url)
    yield p
    p.close()


@pytest.mark.parametrize("mode, code", [
    ("redirect", "sync.portal"), ("page", "sync.portal"), ("page_as_json", "sync.portal"),
    ("511", "sync.portal"), ("408", "sync.not_reachable"), ("429", "sync.not_reachable"),
    ("403", "sync.not_reachable"), ("json_200", "sync.bad_response"),
])
def test_portal_answers_are_not_reachable_yet_and_change_nothing(server, portal, laptops,
                                                                 mode, code):
    (laptop,) = laptops(1)
    laptop.enroll(server.url, "KC-0421")
    laptop.event()
    laptop.register_many(range(5))
    laptop.store.set_setting(SERVER_URL, portal.url)
    portal.mode = mode
    pending = laptop.store.pending_changes()
    with pytest.raises(SyncError) as caught:
        laptop.sync()
    assert caught.value.code == code and caught.value.retryable
    assert laptop.store.pending_changes() == pending
    assert laptop.store.scalar("SELECT count(*) FROM change_log WHERE refused_at IS NOT NULL") == 0
    if code == "sync.portal":
        assert render(code, "id").startswith("Wi-Fi perlu login di peramban")
    # The officer logs in to the Wi-Fi: the next attempt goes through.
    portal.logged_in = True
    result = laptop.sync()
    assert result.pushed == pending and laptop.store.pending_changes() == 0


def test_enrolment_through_a_portal_says_so(server, portal, laptops):
    (laptop,) = laptops(1)
    from bpjs_field.sync.engine import enroll
    from harness import PASSWORD
    with pytest.raises(SyncError) as caught:
        enroll(laptop.store, laptop.http, portal.url, "KC-0421", PASSWORD)
    assert caught.value.code == "sync.portal"
    assert laptop.store.get_setting("sync.device_token") is None


@pytest.mark.gui
def test_the_gui_keeps_retrying_through_a_portal_without_a_click(qtbot, server, portal, laptops):
    from ui.sync import SyncController, SyncPage
    from ui.tasks import DbExecutor
    (laptop,) = laptops(1)
    laptop.enroll(server.url, "KC-0421")
    laptop.event()
    laptop.register_many(range(10))
    laptop.store.set_setting(SERVER_URL, portal.url)
    portal.mode = "redirect"
    executor = DbExecutor(laptop.store)
    controller = SyncController(executor, interval_s=3600, backoff=Backoff(base=0.2, maximum=0.4))
    page = SyncPage(executor, controller=controller, lang="en")
    qtbot.addWidget(page)
    try:
        controller.start(first_delay_s=0.05)
        qtbot.waitUntil(lambda: (controller.state.last_error or {}).get("code") == "sync.portal",
                        timeout=10000)
        qtbot.waitUntil(lambda: "Wi-Fi needs a login in the browser" in page.error.text(),
                        timeout=5000)
        first = portal.seen
        qtbot.waitUntil(lambda: portal.seen >= first + 2, timeout=10000)  # retried by itself
        qtbot.waitUntil(lambda: controller.state.online is False, timeout=10000)
        portal.mode = "page"
        portal.logged_in = True
        with qtbot.waitSignal(controller.sync_finished, timeout=15000):
            pass
        qtbot.waitUntil(lambda: controller.state.pending == 0, timeout=5000)
        assert controller.state.last_error is None and controller.state.online
    finally:
        controller.shutdown()
        executor.shutdown()

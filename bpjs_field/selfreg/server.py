"""The hub's side of self-registration (DESIGN.md beside this file).

- The **phone server**: plain HTTP on the hub's address, port `PHONE_PORT`, for phones
  (no certificate warning on a cheap phone; nothing personal crosses it). `GET /` is the
  page (everything inline, strict Content-Security-Policy); `GET /tiket` hands out a ticket
  (no input, rate-limited per device). There is no other route: a phone cannot list, send
  or fetch anybody's data.
- The **desk routes** on the hub's TLS app, for joined laptops with their device token:
  `GET /v1/hub/selfreg/keys` (the event's keys, over the pinned link),
  `POST /v1/hub/selfreg/confirm` (a ticket used at a desk: any later use is refused at every
  desk), `GET /v1/hub/selfreg/counts` (waiting and confirmed today).
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time.

import threading
import time
from datetime import date, datetime, timezone
from typing import Annotated, Any, Callable

from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from bpjs_field.domain.formatting import to_wib, today_wib
from bpjs_field.errors import KnownError
from bpjs_field.selfreg.page import build_page
from bpjs_field.selfreg.sealed import EventKeys

PHONE_PORT_OFFSET = 1  # the phone page listens on the hub's port + 1
TICKETS_PER_DEVICE = 6  # tickets one device may take ...
TICKET_WINDOW = 600  # ... in this many seconds
REQUESTS_PER_MINUTE = 60  # every request of one device (the page itself included)
SCHEMA = ("CREATE TABLE IF NOT EXISTS selfreg_tickets (id TEXT PRIMARY KEY, day TEXT NOT NULL, "
          "issued_at TEXT NOT NULL, confirmed_at TEXT, confirmed_by TEXT)")
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _local_time(stamp: str) -> str:
    """HH:MM in WIB of a UTC stamp (the hour every other screen and print shows)."""
    try:
        return to_wib(datetime.fromisoformat(stamp)).strftime("%H:%M")
    except ValueError:
        return stamp[11:16]


class RateLimiter:
    """Sliding windows per device (the phone's address on the event's network)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], list[float]] = {}

    def check(self, device: str, kind: str, limit: int, window: float) -> int:
        """0 when allowed (and counted); otherwise the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            hits = [t for t in self._hits.get((device, kind), []) if now - t < window]
            if len(hits) >= limit:
                self._hits[(device, kind)] = hits
                return max(1, int(window - (now - hits[0])) + 1)
            hits.append(now)
            self._hits[(device, kind)] = hits
            return 0


class TicketBook:
    """Tickets issued today and their confirmations, in the hub's database (no personal data:
    a ticket id, its day, when it was issued and confirmed)."""

    def __init__(self, db: Any, keys: EventKeys, today: Callable[[], date] = today_wib) -> None:
        self.db, self.keys, self.today = db, keys, today
        with db.write() as tx:
            tx.execute(SCHEMA)

    def issue(self) -> str:
        day = self.today()
        ticket = self.keys.ticket(day)
        with self.db.write() as tx:
            self._purge(tx, day)
            tx.execute("INSERT INTO selfreg_tickets(id, day, issued_at) VALUES (?, ?, ?)",
                       (ticket.split(".")[0], day.isoformat(), _now()))
        return ticket

    def confirm(self, ticket: str, device: str, *, only_check: bool = False) -> dict[str, Any]:
        """Mark a ticket used (or only check it is not); KnownError `selfreg.replayed` when
        it already was."""
        day = self.today()
        ticket_id = self.keys.check_ticket(ticket, day)
        with self.db.write() as tx:
            row = tx.rows("SELECT confirmed_at FROM selfreg_tickets WHERE id = ?", (ticket_id,))
            if row and row[0][0]:
                raise KnownError("selfreg.replayed", time=_local_time(row[0][0]), code=ticket_id[:8])
            now = _now()
            if only_check:
                return {"ticket_id": ticket_id, "confirmed_at": None}
            tx.execute("INSERT INTO selfreg_tickets(id, day, issued_at, confirmed_at, confirmed_by) "
                       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET confirmed_at = "
                       "excluded.confirmed_at, confirmed_by = excluded.confirmed_by",
                       (ticket_id, day.isoformat(), now, now, device))
        return {"ticket_id": ticket_id, "confirmed_at": now}

    def counts(self) -> dict[str, int]:
        day = self.today()
        with self.db.write() as tx:
            self._purge(tx, day)
            waiting = tx.scalar("SELECT count(*) FROM selfreg_tickets WHERE day = ? AND "
                                "confirmed_at IS NULL", (day.isoformat(),))
            confirmed = tx.scalar("SELECT count(*) FROM selfreg_tickets WHERE day = ? AND "
                                  "confirmed_at IS NOT NULL", (day.isoformat(),))
        return {"waiting": int(waiting or 0), "confirmed": int(confirmed or 0)}

    @staticmethod
    def _purge(tx: Any, day: date) -> None:
        """Tickets of an earlier day that no desk confirmed are dropped (the data they stood
        for never left the phone, whose page erases its draft after the day too)."""
        tx.execute("DELETE FROM selfreg_tickets WHERE day < ? AND confirmed_at IS NULL",
                   (day.isoformat(),))


def phone_app(book: "TicketBook", *, title: str = "", limiter: "RateLimiter | None" = None) -> Any:
    """The phones' app: the page and the ticket, nothing else."""
    from starlette.middleware.gzip import GZipMiddleware
    limiter = limiter or RateLimiter()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(GZipMiddleware, minimum_size=1000)  # 110 KB of page, 30 KB on the air
    cache: dict[str, bytes] = {}
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}

    def limited(request: Request, kind: str, limit: int, window: float) -> Response | None:
        device = request.client.host if request.client else "?"
        wait = limiter.check(device, kind, limit, window)
        if not wait:
            return None
        return JSONResponse({"error": "selfreg.rate_limited", "retry_after": wait},
                            status_code=429, headers={"Retry-After": str(wait)})

    @app.get("/")
    def page(request: Request) -> Response:
        refused = limited(request, "any", REQUESTS_PER_MINUTE, 60)
        if refused is not None:
            return refused
        day = book.today().isoformat()
        if day not in cache:  # rebuilt each day (the rules and contribution are the day's)
            cache.clear()
            cache[day] = build_page(book.keys.public, book.keys.key_id, title=title,
                                    today=book.today())
        return Response(cache[day], media_type="text/html; charset=utf-8", headers=headers)

    @app.get("/tiket")
    def ticket(request: Request) -> Response:
        refused = (limited(request, "any", REQUESTS_PER_MINUTE, 60)
                   or limited(request, "ticket", TICKETS_PER_DEVICE, TICKET_WINDOW))
        if refused is not None:
            return refused
        return JSONResponse({"ticket": book.issue()}, headers={"Cache-Control": "no-store"})

    return app


class PhoneServer:
    """uvicorn in a thread of this process, serving `phone_app` on one address."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def start(self, timeout: float = 20.0) -> "PhoneServer":
        import uvicorn
        config = uvicorn.Config(self.app, host=self.host, port=self.port, log_level="warning",
                                access_log=False)
        from bpjs_field.sync.hub_server import serve_in_thread
        self._server, self._thread = serve_in_thread(config, "bpjs-selfreg", timeout)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None


def add_desk_routes(app: Any, db: Any, book_of: Callable[[], TicketBook | None]) -> None:
    """The routes of the hub's TLS app that joined laptops call (device token required)."""
    from bpjs_field.server import accounts
    from bpjs_field.protocol import API_PREFIX

    class Confirm(BaseModel):
        ticket: str = Field(max_length=80)
        only_check: bool = False

    def device(authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        return accounts.authenticate(db, authorization)

    def book() -> TicketBook:
        found = book_of()
        if found is None:
            raise KnownError("selfreg.no_keys")
        return found

    @app.get(f"{API_PREFIX}/hub/selfreg/keys")
    def keys(dev: Annotated[dict, Depends(device)]) -> Any:
        return book().keys.to_setting()

    @app.post(f"{API_PREFIX}/hub/selfreg/confirm")
    def confirm(body: Confirm, dev: Annotated[dict, Depends(device)]) -> Any:
        try:
            return book().confirm(body.ticket, dev["id"], only_check=body.only_check)
        except KnownError as exc:
            return JSONResponse({"error": {"code": exc.code, "message": exc.message("en"),
                                           "params": exc.params}}, status_code=409)

    @app.get(f"{API_PREFIX}/hub/selfreg/counts")
    def counts(dev: Annotated[dict, Depends(device)]) -> Any:
        return book().counts()

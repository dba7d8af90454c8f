"""The branch server: a FastAPI application over `ServerDatabase`.

Endpoints (all under /v1, described in bpjs_field/sync/PROTOCOL.md and in
the OpenAPI document at /openapi.json):
  GET  /v1/health     liveness, database kind, server time
  POST /v1/enroll     officer credentials -> device token
  POST /v1/push       a batch of a laptop's changes, applied exactly once
  GET  /v1/pull       rows changed since a cursor, paged
  GET  /v1/digest     counts and a content hash (consistency check)
  GET  /v1/quarantine changes kept aside, not delivered, with what to do (supervisors)
  GET  /v1/conflicts  losing values of concurrent edits (supervisors)
  GET  /v1/conflicts/{id}, POST /v1/conflicts/{id}/resolve  one conflict; a decision on it
  GET  /laporan       the branch's report for supervisors in a browser (read-only,
                      bpjs_field/server/report_page.py)

Every response carries the server's time in `X-Server-Time`.  Errors are
`{"error": {"code": …, "message": …}}`; a malformed or oversized request is
refused before anything is written.  The process holds no state besides its
connection pool, so several processes can serve one PostgreSQL database.
"""


import logging
import os
import time
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bpjs_field.__about__ import __version__
from bpjs_field.server import accounts
from bpjs_field.server.accounts import AuthError, utc_now
from bpjs_field.server.db import ServerDatabase, default_database_url
from bpjs_field.server import conflicts
from bpjs_field.server.distribution import login_employees
from bpjs_field.server.marks import device_marks
from bpjs_field.server.pull import pull_page, server_digest, server_hlc
from bpjs_field.server.push import InvalidChanges, PushApplier
from bpjs_field.server.quarantine import Origins, list_quarantine, reclaim_after_erasure
from bpjs_field.server.schema import migrate, server_id
from bpjs_field.protocol import (API_PREFIX, QuarantineRow, DEFAULT_PULL_LIMIT, MAX_BODY_BYTES, MAX_INT,
                                      MAX_PULL_LIMIT, PROTOCOL_VERSION, Conflict, Digest,
                                      EnrollRequest, EnrollResponse, ErrorResponse, Health,
                                      PullResponse, PushRequest, PushResponse, Reference,
                                      AuditAck, AuditPush, AuditRow, ResolveRequest,
                                      Marks, ResolveResponse)
from bpjs_field.domain.reference import server_files, version_of

log = logging.getLogger(__name__)
DB_ENV = "BPJS_FIELD_SERVER_DB"
# Test-only: seconds to wait inside a push transaction before committing, so a
# test can kill the server in the middle of a push.  Never set in production.
FAULT_SLOW_PUSH_ENV = "BPJS_FIELD_TEST_SLOW_PUSH"

MESSAGES = {
    "request.invalid": "The request is malformed; nothing was changed.",
    "request.too_large": f"The request is larger than {MAX_BODY_BYTES} bytes; send smaller batches.",
    "request.length_required": "The request must state its Content-Length.",
    "auth.missing": "A device token is required: enrol this laptop first.",
    "auth.unknown_device": "This laptop is not enrolled on this server: enrol it again.",
    "auth.device_revoked": "This laptop has been revoked by the branch; ask a supervisor.",
    "auth.officer_inactive": "This officer account is disabled; ask a supervisor.",
    "auth.bad_credentials": "Employee number or password is wrong.",
    "auth.supervisor_only": "Only a supervisor's laptop may read or resolve conflicts.",
    "conflict.unknown": "No such conflict (an erasure removes a person's conflicts).",
    "conflict.resolved": "This conflict was already resolved.",
    "conflict.person_erased": "The person was erased; nothing can be restored.",
    "conflict.row_gone": "The row of this conflict no longer exists.",
    "conflict.changed": "The value changed since it was shown; look at the conflict again.",
    "conflict.change_unknown": "The edit naming the chosen value has not reached the server; sync first.",
    "conflict.change_mismatch": "That edit does not decide this conflict (another laptop, row or "
                                "field, or an older clock).",
    "push.device_mismatch": "The batch names another device than the token.",
    "enroll.device_taken": "That device id belongs to another enrolled laptop; enrol without "
                           "naming it (the server issues a new id).",
    "push.invalid_value": "A value breaks the rules every laptop applies (details name the change "
                          "and field); nothing was changed.",
    "push.code_not_yours": "A new registration's code starts with a device tag that is not one of "
                           "the laptop that made it (details name the change); a laptop issues "
                           "codes only under its own tags. Nothing was changed.",
    "push.busy": "Another push of this batch is in progress; retry in a few seconds.",
    "request.not_found": "No such endpoint.",
    "request.method_not_allowed": "This endpoint does not take that method.",
    "server.error": "The server failed; nothing was changed. Retry later.",
}
# Starlette's own refusals (an unreadable body, an unknown path), in the API's error shape.
HTTP_CODES = {400: "request.invalid", 404: "request.not_found", 405: "request.method_not_allowed"}


def error(status: int, code: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": MESSAGES.get(code, code)}},
                        status_code=status, headers=headers)


class Guard:
    """ASGI middleware: refuses bodies over the limit before they are read, and
    stamps every response with the server's time.  A body sent with
    `Content-Encoding: gzip` is unpacked here, its unpacked size held to the same limit
    (a small bomb is refused, 413), and every response says `X-Accept-Encoding: gzip` so
    laptops compress what they send from then on (PROTOCOL.md, *Compression*)."""

    def __init__(self, app: Callable[..., Awaitable[None]], limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        refuse = None
        if scope["method"] in ("POST", "PUT", "PATCH"):
            if length is None:
                refuse = error(411, "request.length_required")
            elif not length.isdigit() or int(length) > self.limit:
                refuse = error(413, "request.too_large")
        stamp = utc_now().encode()

        async def stamped(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-server-time", stamp),
                                      (b"x-accept-encoding", b"gzip")]
            await send(message)

        if refuse is None and headers.get(b"content-encoding", b"").strip().lower() == b"gzip":
            scope, receive, refuse = await _gunzip(scope, receive, self.limit)
        if refuse is not None:
            await refuse(scope, receive, stamped)
            return
        await self.app(scope, receive, stamped)


async def _gunzip(scope: dict, receive: Callable, limit: int) -> tuple[dict, Callable, Any]:
    """The request with its gzip body unpacked, or a refusal (413 over `limit`, 422 damaged)."""
    import zlib
    packed, more = b"", True
    while more:
        message = await receive()
        packed += message.get("body", b"")
        more = message.get("more_body", False)
        if len(packed) > limit:
            return scope, receive, error(413, "request.too_large")
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = unpacker.decompress(packed, limit + 1)
    except zlib.error:
        return scope, receive, error(422, "request.invalid")
    if len(body) > limit or unpacker.unconsumed_tail:
        return scope, receive, error(413, "request.too_large")
    if not unpacker.eof:
        return scope, receive, error(422, "request.invalid")
    headers = [(k, v) for k, v in scope.get("headers") or []
               if k not in (b"content-encoding", b"content-length")]
    headers.append((b"content-length", str(len(body)).encode()))
    sent = False

    async def unpacked() -> dict:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return {**scope, "headers": headers}, unpacked, None


def create_app(database_url: str | None = None, *, key: bytes | None = None,
               on_push: Callable[[Any, str, list[Any]], None] | None = None,
               extend: Callable[[FastAPI, ServerDatabase, str], None] | None = None) -> FastAPI:
    """The branch server's app.  An event hub (`bpjs_field/sync/hub_server.py`) runs the same
    app on its own encrypted database (`key`), keeps every pushed change for relaying inside the
    push's transaction (`on_push(tx, device_id, changes)`) and adds its routes (`extend`)."""
    url = database_url or os.environ.get(DB_ENV) or default_database_url()
    db = ServerDatabase(url, key=key)
    migrate(db)
    sid = server_id(db)
    slow_push = float(os.environ.get(FAULT_SLOW_PUSH_ENV) or 0)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        db.close()

    app = FastAPI(title="bpjs-field branch server", version=__version__, lifespan=lifespan,
                  description="Sync service for BPJS Ketenagakerjaan field laptops. "
                              "See PROTOCOL.md for the guarantees.")
    app.state.db = db
    # Answers are gzipped for a client that asks (httpx does by default): a first pull is
    # about a sixth of its size on a hotspot paid by the megabyte.
    from starlette.middleware.gzip import GZipMiddleware
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(Guard, limit=MAX_BODY_BYTES)
    from bpjs_field.server.report_page import add_report_page
    add_report_page(app, db)  # GET /laporan: the branch's report for supervisors, read-only
    errors: dict[int | str, dict[str, Any]] = {
        400: {"model": ErrorResponse}, 401: {"model": ErrorResponse},
        403: {"model": ErrorResponse}, 409: {"model": ErrorResponse},
        413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Field locations and reasons only: the input values may be personal data.
        details = [{"loc": [str(p) for p in e.get("loc", ())][:6], "msg": str(e.get("msg"))[:200]}
                   for e in exc.errors()[:20]]
        return JSONResponse({"error": {"code": "request.invalid",
                                       "message": MESSAGES["request.invalid"],
                                       "details": details}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_refused(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # e.g. a body nested too deeply for the JSON parser: 400, in the API's error shape.
        return error(exc.status_code, HTTP_CODES.get(exc.status_code, "request.invalid"),
                     getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def failed(_request: Request, exc: Exception) -> JSONResponse:
        log.error("request failed: %s", type(exc).__name__)
        return error(500, "server.error")

    @app.exception_handler(AuthError)
    async def refused(_request: Request, exc: AuthError) -> JSONResponse:
        return error(exc.status, exc.code)

    def device(authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        return accounts.authenticate(db, authorization)

    @app.get(f"{API_PREFIX}/health", response_model=Health)
    def health() -> dict[str, Any]:
        with db.read() as tx:
            tx.scalar("SELECT 1")
        return {"status": "ok", "server_id": sid, "server_time": utc_now(),
                "protocol": PROTOCOL_VERSION, "database": db.kind}

    reference_files = server_files()
    reference = {"version": version_of(reference_files), "files": reference_files}

    @app.get(f"{API_PREFIX}/reference", response_model=Reference, responses=errors)
    def get_reference(dev: Annotated[dict, Depends(device)]) -> dict[str, Any]:
        """The branch's dated rates and privacy notice (laptops fetch them at every sync)."""
        return reference

    @app.post(f"{API_PREFIX}/enroll", response_model=EnrollResponse, responses=errors)
    def enroll(body: EnrollRequest,
               authorization: Annotated[str | None, Header(max_length=300)] = None) -> Any:
        """The server issues the device id; naming one renews it only with its current token."""
        try:
            token, device_id, tag, officer = accounts.enroll(
                db, employee_no=body.employee_no, password=body.password,
                device_id=body.device_id, device_tag=body.device_tag,
                device_name=body.device_name, authorization=authorization)
        except accounts.EnrollRefused as exc:
            log.warning("enrolment refused: %s", exc.code)
            return error(exc.status, exc.code)
        log.info("device enrolled (tag %s)", tag)
        return {"device_token": token, "device_id": device_id, "device_tag": tag,
                "officer": officer, "server_id": sid, "server_time": utc_now()}

    @app.post(f"{API_PREFIX}/push", response_model=PushResponse, responses=errors)
    def push(body: PushRequest, dev: Annotated[dict, Depends(device)],
             x_device_proof: Annotated[str | None, Header(max_length=300)] = None) -> Any:
        """One batch, exactly once.  `X-Device-Proof`: the laptop's signature over its device id
        with `device_key` (a header: older servers ignore it), see server/tags.py."""
        if body.device_id != dev["id"]:
            return error(403, "push.device_mismatch")
        now = utc_now()
        try:
            with db.write() as tx:
                applier = PushApplier(tx, dev["id"], body.cursor, now, body.device_key,
                                      refuse_invalid=True, device_proof=x_device_proof)
                counts = applier.apply(body.changes)
                if on_push is not None:
                    on_push(tx, dev["id"], body.changes)
                tx.execute("UPDATE devices SET last_seen_at = ? WHERE id = ?", (now, dev["id"]))
                if slow_push:
                    time.sleep(slow_push)
        except InvalidChanges as exc:
            # Refused as any invalid request: nothing written, each change's field and reason.
            return JSONResponse({"error": {"code": exc.code, "message": MESSAGES[exc.code],
                                           "details": exc.details}}, status_code=422)
        except _integrity_errors() as exc:
            # A concurrent duplicate of this batch committed first; the retry finds
            # its change ids applied and answers "duplicates".
            log.info("push rolled back: %s", type(exc).__name__)
            return error(409, "push.busy", {"Retry-After": "2"})
        if applier.erased:
            reclaim_after_erasure(db)
        return {**counts, "quarantined_changes": applier.quarantined_changes,
                "last_seq": max(c.seq for c in body.changes), "server_time": utc_now(),
                "server_hlc": server_hlc()}

    @app.get(f"{API_PREFIX}/pull", responses={200: {"model": PullResponse}, **errors})
    def pull(dev: Annotated[dict, Depends(device)],
             cursor: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
             limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT) -> Response:
        return Response(pull_page(db, cursor, limit, sid, dev["id"]),
                        media_type="application/json")

    @app.get(f"{API_PREFIX}/digest", response_model=Digest, responses=errors)
    def digest(dev: Annotated[dict, Depends(device)]) -> dict[str, Any]:
        return server_digest(db)

    @app.get(f"{API_PREFIX}/marks", response_model=Marks, responses=errors)
    def get_marks(dev: Annotated[dict, Depends(device)]) -> dict[str, Any]:
        """The calling laptop's own high-water marks (a restored laptop asks before pushing)."""
        with db.read() as tx:
            return device_marks(tx, dev["id"], dev["device_tag"])

    @app.post(f"{API_PREFIX}/audit", response_model=AuditAck, responses=errors)
    def push_audit(body: AuditPush, dev: Annotated[dict, Depends(device)]) -> Any:
        """A laptop's audit entries, stored once per (device, local id)."""
        if body.device_id != dev["id"]:
            return error(403, "push.device_mismatch")
        now = utc_now()
        rows = [(dev["id"], e.local_id, e.at, e.officer_id, e.action, e.entity, e.entity_id,
                 e.details, now) for e in body.entries]
        with db.write() as tx:
            Origins(tx).register(dev["id"], body.device_key, now)
            worked = login_employees(tx, dev["id"])
            before = tx.scalar("SELECT count(*) FROM audit WHERE device_id = ?", (dev["id"],))
            tx.executemany(
                "INSERT INTO audit(device_id, local_id, at, officer_id, action, entity, entity_id, "
                "details, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (device_id, local_id) DO NOTHING", rows)
            after = tx.scalar("SELECT count(*) FROM audit WHERE device_id = ?", (dev["id"],))
            # Someone new logged in on this laptop: their account's login now goes to it.
            for number in login_employees(tx, dev["id"]) - worked:
                accounts.republish(tx, number)
        return {"received": len(rows), "stored": after - before,
                "last_id": max(e.local_id for e in body.entries)}

    @app.get(f"{API_PREFIX}/audit", response_model=list[AuditRow], responses=errors)
    def list_audit(dev: Annotated[dict, Depends(device)],
                   limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> Any:
        if dev["role"] != "supervisor":
            return error(403, "auth.supervisor_only")
        with db.read() as tx:
            return tx.dicts("SELECT device_id, local_id, at, officer_id, action, entity, entity_id, "
                            "details FROM audit ORDER BY at DESC, local_id DESC LIMIT ?", (limit,))

    @app.get(f"{API_PREFIX}/quarantine", response_model=list[QuarantineRow], responses=errors)
    def list_quarantined(dev: Annotated[dict, Depends(device)],
                         limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> Any:
        """Changes kept aside (not delivered), with the laptops and what to do."""
        if dev["role"] != "supervisor":
            return error(403, "auth.supervisor_only")
        with db.read() as tx:
            return list_quarantine(tx, limit)

    @app.get(f"{API_PREFIX}/conflicts", response_model=list[Conflict], responses=errors)
    def list_conflicts(dev: Annotated[dict, Depends(device)],
                       limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> Any:
        if dev["role"] != "supervisor":
            return error(403, "auth.supervisor_only")
        return conflicts.list_open(db, limit)

    conflict_id_path = Annotated[int, Path(ge=1, le=2**62)]

    @app.get(f"{API_PREFIX}/conflicts/{{conflict_id}}", response_model=Conflict, responses=errors)
    def get_conflict(dev: Annotated[dict, Depends(device)], conflict_id: conflict_id_path) -> Any:
        """One conflict, open or resolved (a resolved one no longer holds the values)."""
        if dev["role"] != "supervisor":
            return error(403, "auth.supervisor_only")
        try:
            return conflicts.get_one(db, conflict_id)
        except conflicts.Refused as exc:
            return error(exc.status, exc.code)

    @app.post(f"{API_PREFIX}/conflicts/{{conflict_id}}/resolve", response_model=ResolveResponse,
              responses={404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}, **errors})
    def resolve_conflict(body: ResolveRequest, dev: Annotated[dict, Depends(device)],
                         conflict_id: conflict_id_path) -> Any:
        """A supervisor's decision; repeating it is harmless (see server/conflicts.py)."""
        if dev["role"] != "supervisor":
            return error(403, "auth.supervisor_only")
        try:
            return conflicts.resolve(db, conflict_id, dev, body.choice, body.change_id,
                                     body.current_hlc, utc_now())
        except conflicts.Refused as exc:
            return error(exc.status, exc.code)

    if extend is not None:
        extend(app, db, sid)
    return app


def _integrity_errors() -> tuple[type[BaseException], ...]:
    import sqlite3
    from bpjs_field.store.connection import IntegrityError
    found: list[type[BaseException]] = [*IntegrityError]
    try:
        import psycopg
        found += [psycopg.errors.IntegrityError, psycopg.errors.SerializationFailure,
                  psycopg.errors.DeadlockDetected]
    except ImportError:
        pass
    return tuple(found)


def app_from_env() -> FastAPI:
    """uvicorn factory: `uvicorn --factory bpjs_field.server.app:app_from_env`."""
    return create_app(os.environ.get(DB_ENV))


def serve(host: str = "127.0.0.1", port: int = 8765, database_url: str | None = None,
          log_level: str = "info") -> None:
    import uvicorn
    url = database_url or os.environ.get(DB_ENV) or default_database_url()
    app = create_app(url)
    log.info("branch server on http://%s:%d (%s)", host, port, app.state.db.kind)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)

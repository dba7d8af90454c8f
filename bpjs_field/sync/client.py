"""HTTP calls to the branch server over an injected `httpx.Client`.

Every failure becomes a `SyncError` (a `KnownError` with a message for the
officer) that says whether retrying later can help: timeouts, refused or
dropped connections and 5xx/429/409/408 answers are retryable, and so is an answer
that did not come from the branch server (a Wi-Fi login page or a proxy: redirects,
web pages, answers without the server's `X-Server-Time`), told apart as `sync.portal`
("Wi-Fi perlu login di peramban") when it looks like a login page; a revoked device
or a refused request is not.  A push refused for what its changes hold (422
pointing into `changes`, or 400) is a `RefusedError` with the server's reason,
so the engine can find and park the refused changes (see engine.py).  A
response body is validated against the protocol models before anything uses
it, so a malformed or truncated answer changes nothing on the laptop.  Each response also tells the server's time,
from which the client estimates the laptop clock's offset.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, TypeVar

from bpjs_field.sync import lean  # noqa: F401  (before httpx: see there)
import httpx
import pydantic

from bpjs_field.errors import KnownError, SyncError  # noqa: F401  (SyncError lives in errors.py: the store raises it too)
from bpjs_field.protocol import (API_PREFIX, EnrollResponse, Health, PullResponse,
                                      PushResponse, Digest, Reference, AuditAck, Conflict,
                                      Marks, ResolveResponse)

M = TypeVar("M", bound=pydantic.BaseModel)


class TooLargeError(SyncError):
    """413: the client halves its batch and sends again."""


class RefusedError(SyncError):
    """400/422 about the changes of a push: `reason` is the server's (codes, field locations
    and messages; the server never echoes the refused values)."""

    def __init__(self, reason: str, **params: Any) -> None:
        self.reason = reason
        super().__init__("sync.rejected", retryable=False, **params)


AUTH_CODES = {"auth.device_revoked": "sync.revoked", "auth.unknown_device": "sync.not_enrolled",
              "enroll.device_taken": "sync.device_taken",
              "auth.missing": "sync.not_enrolled", "auth.bad_credentials": "sync.bad_credentials",
              "auth.officer_inactive": "sync.officer_inactive"}
# Answers about conflicts (bpjs_field/server/conflicts.py): final, never retried as they are.
CONFLICT_CODES = {"auth.supervisor_only": "conflicts.server_supervisor_only",
                  "conflict.unknown": "conflicts.unknown", "conflict.resolved": "conflicts.resolved",
                  "conflict.person_erased": "conflicts.person_erased",
                  "conflict.row_gone": "conflicts.row_gone", "conflict.changed": "conflicts.changed",
                  "conflict.change_unknown": "conflicts.change_unknown",
                  "conflict.change_mismatch": "conflicts.change_mismatch"}


REDIRECTS = (301, 302, 303, 307, 308)


def looks_like_portal(response: httpx.Response) -> bool:
    """A Wi-Fi login page (captive portal) or a proxy answered instead of the server: a
    redirect (the server never redirects), 511, or a web page where JSON was due."""
    if response.status_code in REDIRECTS or response.status_code == 511:
        return True
    kind = response.headers.get("content-type", "").lower()
    return "html" in kind or response.content[:200].lstrip()[:1] == b"<"


def from_the_server(response: httpx.Response) -> bool:
    """Every answer of the branch server carries its time; a network device's does not."""
    return "x-server-time" in response.headers


def default_timeout(read: float = 60.0) -> httpx.Timeout:
    return httpx.Timeout(connect=5.0, read=read, write=30.0, pool=5.0)


def parse_time(text: str) -> float | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError):
        return None


# Servers (by address) that said they take gzip bodies (`X-Accept-Encoding: gzip`): requests
# to them are compressed from then on, in this process.
GZIP_SERVERS: set[str] = set()
# The push's proof that the laptop holds the signing key it sends (PROTOCOL.md, *Push*).
PROOF_HEADER = "X-Device-Proof"
GZIP_MIN_BYTES = 1024


class SyncClient:
    """One server, one device token; `clock_offset_ms` is server minus laptop time.
    Answers come gzipped when the server can (httpx asks and unpacks); request bodies are
    gzipped once the server said it takes them."""

    def __init__(self, http: httpx.Client, server_url: str, token: str | None = None) -> None:
        self.http = http
        self.server_url = server_url.rstrip("/")
        self.token = token
        self.clock_offset_ms: int | None = None
        self.last_server_time: str | None = None

    def _request(self, method: str, path: str, model: type[M], *, content: bytes | None = None,
                 params: dict[str, Any] | None = None, auth: bool = True,
                 headers: dict[str, str] | None = None) -> M:
        headers = {"Accept": "application/json", **(headers or {})}
        if content is not None:
            headers["Content-Type"] = "application/json"
            if len(content) >= GZIP_MIN_BYTES and self.server_url in GZIP_SERVERS:
                import gzip
                content = gzip.compress(content, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = f"{self.server_url}{API_PREFIX}{path}"
        sent = time.time()
        try:
            response = self.http.request(method, url, content=content, params=params,
                                         headers=headers)
        except httpx.TimeoutException as exc:
            raise SyncError("sync.timeout") from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError,
                httpx.DecodingError) as exc:  # a gzipped answer cut short does not unpack
            raise SyncError("sync.connection_lost") from exc
        except httpx.TransportError as exc:
            raise SyncError("sync.unreachable", server=self.server_url) from exc
        received = time.time()
        self._clock(response.headers.get("x-server-time"), sent, received)
        if not from_the_server(response):
            # Not the branch server yet (venue Wi-Fi login, a proxy): retried with backoff.
            if looks_like_portal(response):
                raise SyncError("sync.portal", status=response.status_code)
            if 300 <= response.status_code < 500:
                raise SyncError("sync.not_reachable", status=response.status_code)
        if response.headers.get("x-accept-encoding", "").lower() == "gzip":
            GZIP_SERVERS.add(self.server_url)
        self._raise_for_status(response)
        try:
            return model.model_validate_json(response.content)
        except pydantic.ValidationError as exc:
            first = exc.errors()[0] if exc.errors() else {}
            where = ".".join(str(p) for p in first.get("loc", ()))[:80]
            detail = f"{first.get('type', 'invalid')} {where}".strip()
            raise SyncError("sync.bad_response", detail=detail) from None

    def _clock(self, header: str | None, sent: float, received: float) -> None:
        server = parse_time(header) if header else None
        if server is None:
            return
        self.last_server_time = header
        # The server stamped its time somewhere between send and receipt: take the middle.
        self.clock_offset_ms = int((server - (sent + received) / 2) * 1000)

    @staticmethod
    def _error(response: httpx.Response) -> dict[str, Any]:
        try:
            error = json.loads(response.content)["error"]
            return error if isinstance(error, dict) else {}
        except (ValueError, KeyError, TypeError):
            return {}

    @staticmethod
    def _refusal(status: int, code: str, details: Any) -> str | None:
        """The reason a push was refused for what its changes hold, or None when the refusal is
        about the request as a whole (then no change is to blame)."""
        if not code or status not in (400, 422) or not isinstance(details, list):
            return None
        parts = []
        for item in details:
            loc = [str(p) for p in item.get("loc", ())] if isinstance(item, dict) else []
            if loc[:2] != ["body", "changes"] or len(loc) < 3:
                return None
            parts.append(f"{'.'.join(loc[3:]) or 'change'}: {item.get('msg', '')}")
        more = f" (+{len(parts) - 1} more)" if len(parts) > 1 else ""
        return (f"{status} {code}" + (f"; {parts[0]}{more}" if parts else ""))[:300]

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 300:
            return
        error = self._error(response)
        code = str(error.get("code", ""))[:60]
        if status in (401, 403, 409) and code in AUTH_CODES:
            raise SyncError(AUTH_CODES[code], retryable=False)
        if status in (403, 404, 409) and code in CONFLICT_CODES:
            raise SyncError(CONFLICT_CODES[code], retryable=False)
        if status == 413:
            raise TooLargeError("sync.rejected", detail="413")
        if status in (408, 409, 425, 429) or status >= 500:
            raise SyncError("sync.server_error", status=status)
        if status in REDIRECTS or status == 511:
            raise SyncError("sync.portal", status=status)
        reason = self._refusal(status, code, error.get("details", []))
        if reason is not None:
            raise RefusedError(reason, detail=f"{status} {code}")
        raise SyncError("sync.rejected", retryable=False, detail=f"{status} {code}".strip())

    # -- endpoints ------------------------------------------------------------------------
    def health(self) -> Health:
        return self._request("GET", "/health", Health, auth=False)

    def enroll(self, *, employee_no: str, password: str, device_id: str | None, device_tag: str,
               device_name: str, app_version: str) -> EnrollResponse:
        """Enrol; `device_id` (with this client's token) renews this laptop's own enrolment,
        None asks the server for a new device id."""
        fields: dict[str, Any] = {"employee_no": employee_no, "password": password,
                                  "device_tag": device_tag, "device_name": device_name[:200],
                                  "app_version": app_version}
        if device_id is not None and self.token:
            fields["device_id"] = device_id
        return self._request("POST", "/enroll", EnrollResponse,
                             content=json.dumps(fields).encode("utf-8"),
                             auth=device_id is not None and bool(self.token))

    def push(self, body: bytes, proof: str | None = None) -> PushResponse:
        """`proof`: this laptop's signature over its device id with its key (a header, so a
        server that does not know it ignores it; bpjs_field/server/tags.py)."""
        extra = {PROOF_HEADER: proof} if proof else None
        return self._request("POST", "/push", PushResponse, content=body, headers=extra)

    def pull(self, cursor: int, limit: int) -> PullResponse:
        return self._request("GET", "/pull", PullResponse, params={"cursor": cursor, "limit": limit})

    def push_audit(self, body: bytes) -> AuditAck:
        return self._request("POST", "/audit", AuditAck, content=body)

    def marks(self) -> Marks:
        return self._request("GET", "/marks", Marks)

    def reference(self) -> Reference:
        return self._request("GET", "/reference", Reference)

    def digest(self) -> Digest:
        return self._request("GET", "/digest", Digest)

    def conflicts(self, limit: int = 500) -> list[Conflict]:
        return self._request("GET", "/conflicts", _ConflictList, params={"limit": limit}).root

    def conflict(self, conflict_id: int) -> Conflict:
        return self._request("GET", f"/conflicts/{int(conflict_id)}", Conflict)

    def resolve_conflict(self, conflict_id: int, body: dict[str, Any]) -> ResolveResponse:
        return self._request("POST", f"/conflicts/{int(conflict_id)}/resolve", ResolveResponse,
                             content=json.dumps(body).encode("utf-8"))


class _ConflictList(pydantic.RootModel[list[Conflict]]):
    pass

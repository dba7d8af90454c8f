"""Compression on the wire, negotiated both ways, against the real server process: answers
come gzipped to a client that asks; a laptop gzips its pushes once the server said it takes
them; a gzip body that unpacks over the size limit, or is damaged, is refused and changes
nothing."""

from __future__ import annotations

import gzip
import json

import httpx

from bpjs_field.sync.client import GZIP_SERVERS
from bpjs_field.protocol import MAX_BODY_BYTES


def test_pull_and_push_are_compressed_and_bombs_refused(shared_server, laptops):
    (laptop,) = laptops(1)
    laptop.enroll(shared_server.url, "KC-0421")
    token = laptop.store.get_setting("sync.device_token")
    GZIP_SERVERS.discard(shared_server.url)
    sizes = []
    with httpx.Client(event_hooks={"request": [lambda r: sizes.append(
            (r.url.path, r.headers.get("content-encoding"), len(r.content)))]}) as http:
        laptop.event()
        laptop.register_many(range(300))
        laptop.sync(batch_changes=200, http=http)
    pushes = [s for s in sizes if s[0] == "/v1/push"]
    assert pushes[0][1] is None, "the first push, before the server said it takes gzip"
    assert all(s[1] == "gzip" for s in pushes[1:]) and len(pushes) >= 3
    assert shared_server.url in GZIP_SERVERS
    assert laptop.store.scalar("SELECT count(*) FROM change_log WHERE sent_at IS NULL") == 0

    headers = {"Authorization": f"Bearer {token}"}
    answer = httpx.get(f"{shared_server.url}/v1/pull?cursor=0&limit=1000",
                       headers={**headers, "Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    raw = len(answer.content)  # unpacked by httpx
    assert answer.num_bytes_downloaded * 3 < raw
    assert len(answer.json()["items"]) >= 600

    def post(body: bytes) -> httpx.Response:
        return httpx.post(f"{shared_server.url}/v1/push", content=body, headers={
            **headers, "Content-Type": "application/json", "Content-Encoding": "gzip"})

    head = laptop.store.scalar("SELECT count(*) FROM people")
    bomb = gzip.compress(b'{"device_id":"' + b" " * (MAX_BODY_BYTES + 10) + b'"}')
    assert len(bomb) < 64_000
    refused = post(bomb)
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "request.too_large"
    damaged = post(gzip.compress(json.dumps({"device_id": "x"}).encode())[:-6])
    assert damaged.status_code == 422
    assert laptop.sync().pushed == 0 and laptop.store.scalar("SELECT count(*) FROM people") == head

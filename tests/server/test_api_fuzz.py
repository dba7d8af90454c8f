"""Property-based fuzz of the branch server's API from its own OpenAPI document
(schemathesis over hypothesis): valid and invalid requests of every shape the schema
describes, sent to a real server process on SQLite and on PostgreSQL with real device
tokens (a supervisor's laptop and an officer's, with synced data behind them), a
bounded number of examples per endpoint.  No request gets a 5xx, every refusal has the
standard error body, and a refused request leaves the database as it was."""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from bpjs_field.server.db import ServerDatabase
from harness import laptop_factory

EXAMPLES = 15  # per endpoint, generation mode and backend


@pytest.fixture(scope="module")
def fuzz_tokens(shared_server, tmp_path_factory):
    factory = laptop_factory(tmp_path_factory.mktemp("fuzz-laptops"))
    make = next(factory)
    supervisor, officer = make(2)
    supervisor.enroll(shared_server.url, "SPV-01")
    officer.enroll(shared_server.url, "KC-0430")
    for laptop, base in ((supervisor, 9500), (officer, 9600)):
        laptop.event()
        laptop.register_many(range(base, base + 5), check_in=True)
        laptop.sync()
    tokens = [laptop.store.get_setting("sync.device_token") for laptop in (supervisor, officer)]
    yield tokens
    try:
        next(factory)
    except StopIteration:
        pass


def _docs(url: str) -> tuple:
    db = ServerDatabase(url)
    try:
        with db.read() as tx:
            return (tx.scalar("SELECT count(*) FROM docs"),
                    tx.scalar("SELECT value FROM counters WHERE name = 'rev'"))
    finally:
        db.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error(shared_server, shared_database_url, fuzz_tokens, mode):
    api = schemathesis.openapi.from_url(f"{shared_server.url}/openapi.json")
    turn = itertools.count()
    failures: list[str] = []
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 11

    for operation in operations:
        # No shrinking: a failing request is reported as found, and the run stays bounded.
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck),
                  phases=(Phase.explicit, Phase.generate))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case) -> None:
            token = fuzz_tokens[next(turn) % len(fuzz_tokens)]
            before = _docs(shared_database_url)
            headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            where = f"{case.method} {case.formatted_path} -> {response.status_code}"
            assert response.status_code < 500, f"{where}: {response.text[:300]}"
            if response.status_code >= 400:
                error = response.json()["error"]
                assert error["code"] and error["message"], where
                if case.method != "GET":
                    assert _docs(shared_database_url) == before, f"{where} changed the database"

        try:
            run()
        except Unsatisfiable:
            # Nothing of this endpoint can be made invalid (no parameters, no body).
            assert mode is GenerationMode.NEGATIVE and operation.method.upper() == "GET"
        except Exception as exc:  # every endpoint is tried; all failures are reported
            failures.append(f"{operation.label}: {exc}"[:800])
    assert failures == [], "\n".join(failures)

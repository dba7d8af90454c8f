"""Command-line commands for the event hub.

  hub        make this laptop the event's hub on the address the officer picks (`--address`,
             never all interfaces); prints the join code and the join URL (the QR's text),
             syncs this laptop with its own hub every few seconds and delivers everything to
             the branch whenever the branch answers; runs until Ctrl-C
  join       join the hub of a join code or URL (the laptop must be enrolled at the same
             branch, with an officer logged in)
  hub-sync   one round with the joined hub (`--watch N`: keep syncing for N seconds)
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Any

log = logging.getLogger(__name__)


def _addresses() -> list[str]:
    """This laptop's IPv4 addresses as its name resolves them (no packet is sent)."""
    import socket
    found = {"127.0.0.1"}
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    return sorted(found)


def cmd_hub(args: argparse.Namespace) -> int:
    from bpjs_field.errors import KnownError
    from bpjs_field.sync.hub_server import ALL_INTERFACES
    if not args.address or args.address in ALL_INTERFACES:
        print("bpjs-field: " + KnownError("hub.pick_address").message(), file=sys.stderr)
        print("  --address " + " | ".join(_addresses()), file=sys.stderr)
        return 2
    from bpjs_field.sync.hub_engine import HubEngine, join
    from bpjs_field.sync.hub_server import HubServer
    store = args.open_store()
    hub = HubServer(store, args.address, args.port).start()
    try:
        print(f"hub\t{hub.url}", flush=True)
        print(f"code\t{hub.join_code or '-'}", flush=True)
        print(f"qr\t{hub.join_url}", flush=True)
        if getattr(hub, "selfreg_phone", None) is not None:  # participants' phones (selfreg)
            print(f"phones\t{hub.selfreg_phone.url}", flush=True)
        join(store, hub.join_url)
        _serve_loop(store, hub, HubEngine(store), args)
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
    return 0


def _serve_loop(store: Any, hub: Any, engine: Any, args: argparse.Namespace) -> None:
    from bpjs_field.errors import KnownError
    from bpjs_field.sync.engine import SERVER_URL, SyncEngine, new_http_client
    started = time.monotonic()
    next_branch = started
    last_line = ""
    while args.duration is None or time.monotonic() - started < args.duration:
        round_start = time.monotonic()
        try:
            engine.run()
        except KnownError as exc:
            log.info("hub round: %s", exc.code)
        if store.get_setting(SERVER_URL) and time.monotonic() >= next_branch:
            # Whenever the branch answers, everything the event holds goes to it, once.
            next_branch = time.monotonic() + args.branch_every
            try:
                with new_http_client(read_timeout=30) as http:
                    result = SyncEngine(store, http).run()
                print(f"branch\tpushed={result.pushed} duplicates={result.duplicates}", flush=True)
            except KnownError as exc:
                log.info("branch round: %s", exc.code)
        status = hub.status()
        line = "status\tlaptops={} people={} {}".format(
            len(status["laptops"]), status["people"],
            " ".join(f"registrations={e['registrations']} checked_in={e['checked_in']}"
                     for e in status["events"]))
        if line != last_line:
            print(line, flush=True)
            last_line = line
        time.sleep(max(0.05, 2.0 - (time.monotonic() - round_start)))


def cmd_join(args: argparse.Namespace) -> int:
    from bpjs_field.sync.hub_engine import join
    store = args.open_store()
    result = join(store, args.code)
    print(f"joined\t{result['url']}")
    return 0


def cmd_hub_sync(args: argparse.Namespace) -> int:
    from bpjs_field.sync.hub_engine import HubEngine
    store = args.open_store()
    engine = HubEngine(store)
    try:
        until = time.monotonic() + (args.watch or 0)
        while True:
            result = engine.run()
            print(f"pushed={result.pushed} pulled={result.pulled} merged={result.merged}", flush=True)
            if time.monotonic() >= until:
                return 0
            time.sleep(2.0)
    finally:
        engine.close()


def add_commands(sub: Any) -> None:
    p = sub.add_parser("hub", help="jadikan laptop ini hub acara (laptop lain bergabung lewat kode/QR)")
    p.add_argument("--address", help="alamat laptop ini di jaringan acara (wajib dipilih)")
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--branch-every", type=float, default=60.0,
                   help="detik antar percobaan kirim ke server cabang")
    p.add_argument("--duration", type=float, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_hub)
    p = sub.add_parser("join", help="gabung ke hub acara dengan kode atau URL dari layar hub")
    p.add_argument("code", metavar="KODE_ATAU_URL")
    p.set_defaults(handler=cmd_join)
    p = sub.add_parser("hub-sync", help="sinkronkan dengan hub acara yang sudah digabungi")
    p.add_argument("--watch", type=float, help="terus sinkron selama N detik")
    p.set_defaults(handler=cmd_hub_sync)

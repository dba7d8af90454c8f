"""`python -m bpjs_field.server [--host H] [--port P] [--database-url URL]`: run the branch
server without the laptop command line (what the tests and benchmarks start)."""

from __future__ import annotations

import argparse

from bpjs_field.server.app import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bpjs_field.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url")
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    serve(args.host, args.port, args.database_url, args.log_level)


if __name__ == "__main__":
    main()

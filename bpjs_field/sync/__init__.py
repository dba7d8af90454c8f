"""Sync between a laptop and the branch server.

`engine.SyncEngine` pushes the laptop's change log and pulls what other
laptops did (plain Python, an injected httpx client, a cancel flag);
`apply` writes pulled rows into the laptop store; `protocol` holds the
messages shared with the server; `cli` the `enroll`, `sync`, `serve` and
server administration commands.  See PROTOCOL.md.
"""

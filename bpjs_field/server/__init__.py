"""The branch server: FastAPI over SQLite (embedded default) or PostgreSQL.

Start it with `bpjs-field serve`; see README.md next to this file.  Importing
this package does not import FastAPI; `bpjs_field.server.app` does.
"""

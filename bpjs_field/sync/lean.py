"""Import httpx without the parts a laptop never uses, so a sync started from the command
line (`bpjs-field sync`, `bpjs-field hub-sync`) starts fast.

httpx imports its own command-line tool (`httpx._main`: click, rich, pygments) when those
are installed, and httpcore imports trio when that is installed (for async code under trio).
The laptop's sync is synchronous and has no use for either; together they are about a third
of the start-up of a sync with nothing to do.  Imported before httpx (it has no other
effect), this module hides them while httpx loads, then un-hides them: anything that
imports trio or click later gets them as usual.
"""

from __future__ import annotations

import sys

_SKIPPED = ("httpx._main", "trio")


def _import_httpx() -> None:
    if "httpx" in sys.modules:
        return
    hidden = [name for name in _SKIPPED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import httpcore  # noqa: F401  (httpx imports it only when the first client is made)
        import httpx  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


_import_httpx()

"""Errors the core raises, split the way the officer needs them.

`ValidationError` is bad input: it names the field, carries a stable code and
parameters, and renders a plain-language message (Indonesian by default) that
says what is wrong and how to fix it.  `KnownError` subclasses are environment
failures the officer can act on (disk full, database locked, read-only media);
anything else is a bug and goes to the crash reporter.
"""

from __future__ import annotations

from typing import Any

from bpjs_field.messages import render


class BpjsFieldError(Exception):
    """Base class of every error raised on purpose by the core."""

    code = "error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or self.code
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str = "id") -> str:
        return render(self.code, lang, **self.params)


class ValidationError(BpjsFieldError, ValueError):
    """Bad input for one field.  `.field` names it, `.code` is stable for tests and UI."""

    def __init__(self, field: str, code: str, /, **params: Any) -> None:
        self.field = field
        super().__init__(code, **params)

    def __repr__(self) -> str:
        return f"ValidationError(field={self.field!r}, code={self.code!r})"


class ValidationErrors(BpjsFieldError, ValueError):
    """Several field errors found at once (a whole form or a CSV row)."""

    code = "validation.many"

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        super().__init__(self.code, count=len(errors))

    def message(self, lang: str = "id") -> str:
        return "; ".join(f"{e.field}: {e.message(lang)}" for e in self.errors)


class KnownError(BpjsFieldError):
    """A failure of the environment with a clear remedy (not a bug)."""


class StorageFullError(KnownError):
    code = "storage.full"


class StorageLockedError(KnownError):
    code = "storage.locked"


class StorageReadOnlyError(KnownError):
    code = "storage.readonly"


class StorageOpenError(KnownError):
    code = "storage.open"


class StorageCorruptError(KnownError):
    code = "storage.corrupt"


class NotFoundError(BpjsFieldError, LookupError):
    """A code, event or person asked for by the officer does not exist."""

    code = "not_found"


class SyncError(KnownError):
    """A sync failure for the officer (raised by `bpjs_field.sync` and by the store's replica
    when a pulled page cannot be stored); `retryable` says whether backing off and trying again helps."""

    code = "sync.error"
    retryable = True

    def __init__(self, code: str | None = None, *, retryable: bool | None = None, **params: Any) -> None:
        if retryable is not None:
            self.retryable = retryable
        params.setdefault("detail", "")
        super().__init__(code, **params)

"""bpjs_field: the Qt-free core of the BPJS Ketenagakerjaan field officers' app.

Domain rules (NIK, phone, names, contributions), the local store, PDFs, sync
and the command line live here; the PySide6 GUI lives in the separate `ui`
package and reaches the core only through these public names.

The names below are imported on first use (PEP 562), so `bpjs-field sync` or
`bpjs-field stats` do not pay for modules they never touch.
"""

from __future__ import annotations

import importlib
from typing import Any

from bpjs_field.__about__ import __version__

_EXPORTS = {
    "bpjs_field.domain.codes": ("format_code", "normalize_code"),
    "bpjs_field.domain.contribution": ("Contribution", "ContributionLine", "bpu_contribution",
                                       "bpu_income_choices", "pu_contribution"),
    "bpjs_field.domain.foreign": ("normalize_nationality", "normalize_passport", "normalize_permit"),
    "bpjs_field.domain.formatting": ("format_date", "format_datetime", "format_rupiah", "parse_rupiah",
                                     "rupiah_in_words", "terbilang"),
    "bpjs_field.domain.names": ("name_key", "normalize_name"),
    "bpjs_field.domain.nik": ("NikInfo", "mask_nik", "parse_nik"),
    "bpjs_field.domain.phone": ("format_phone", "mask_phone", "normalize_phone"),
    "bpjs_field.domain.registration": ("PersonInput", "RegistrationInput", "field_errors",
                                       "validate_registration"),
    "bpjs_field.errors": ("BpjsFieldError", "KnownError", "NotFoundError", "StorageFullError",
                          "ValidationError", "ValidationErrors"),
    "bpjs_field.messages": ("Notice",),
    "bpjs_field.store": ("Store",),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = ["__version__", *sorted(_WHERE)]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'bpjs_field' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__

"""bpjs_field: the Qt-free core of the BPJS Ketenagakerjaan field officers' app.

Domain rules (NIK, phone, names, contributions), the local store, PDFs, sync
and the command line live here; the PySide6 GUI lives in the separate `ui`
package and reaches the core only through these public names.
"""

from bpjs_field.__about__ import __version__
from bpjs_field.domain.codes import format_code, normalize_code
from bpjs_field.domain.contribution import (Contribution, ContributionLine, bpu_contribution,
                                            bpu_income_choices, pu_contribution)
from bpjs_field.domain.foreign import normalize_nationality, normalize_passport, normalize_permit
from bpjs_field.domain.formatting import (format_date, format_datetime, format_rupiah, parse_rupiah,
                                          rupiah_in_words, terbilang)
from bpjs_field.domain.names import name_key, normalize_name
from bpjs_field.domain.nik import NikInfo, mask_nik, parse_nik
from bpjs_field.domain.phone import format_phone, mask_phone, normalize_phone
from bpjs_field.domain.registration import (PersonInput, RegistrationInput, field_errors,
                                            validate_registration)
from bpjs_field.errors import (BpjsFieldError, KnownError, NotFoundError, StorageFullError,
                              ValidationError, ValidationErrors)
from bpjs_field.messages import Notice
from bpjs_field.store import Store

__all__ = [
    "__version__", "BpjsFieldError", "Contribution", "ContributionLine", "KnownError", "NikInfo",
    "NotFoundError", "Notice", "PersonInput", "RegistrationInput", "StorageFullError", "Store",
    "ValidationError", "ValidationErrors", "bpu_contribution", "bpu_income_choices",
    "field_errors", "format_code", "format_date", "format_datetime", "format_phone",
    "format_rupiah", "mask_nik", "mask_phone", "name_key", "normalize_code", "normalize_name",
    "normalize_nationality", "normalize_passport", "normalize_permit", "normalize_phone",
    "parse_nik", "parse_rupiah", "pu_contribution", "rupiah_in_words", "terbilang",
    "validate_registration",
]

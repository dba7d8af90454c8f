"""Logging to a rotating file in the officer's data folder, with personal data kept out.

The code never puts names, NIKs, phone numbers or incomes into log messages;
`RedactingFilter` is the safety net behind that rule: anything that looks like
a NIK, an Indonesian phone number or an e-mail address is replaced before a
record is written, including in exception text.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from bpjs_field.paths import data_dir

LOG_NAME = "bpjs_field.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_PATTERNS = (
    (re.compile(r"(?<!\d)\d{16}(?!\d)"), "[NIK]"),
    (re.compile(r"(?<!\d)\d{4}[ .\-]?\d{4}[ .\-]?\d{4}[ .\-]?\d{4}(?!\d)"), "[NIK]"),
    (re.compile(r"(?<![\w+])(\+62|62|0)[ \-]?8\d{1,3}[ \-]?\d{3,4}[ \-]?\d{3,5}(?!\d)"), "[TELEPON]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[EMAIL]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path:
    """Attach the rotating file handler to the root logger once; returns the log path."""
    path = (folder or log_dir()) / LOG_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "bpjs_field", False):
            if Path(handler.baseFilename) == path.resolve():
                return path
            root.removeHandler(handler)  # the data folder moved: log there from now on
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                   encoding="utf-8")
    handler.bpjs_field = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path

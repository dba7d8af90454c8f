"""Numbers as the interface's language writes them: `12.500` in Indonesian, `12,500`
in English (times and dates come from `bpjs_field.domain.formatting` with the
language too).  Money keeps the rupiah's own form (`Rp16.800`) in both."""

from __future__ import annotations


def number(value: int, lang: str = "id") -> str:
    text = f"{int(value):,}"
    return text if lang == "en" else text.replace(",", ".")

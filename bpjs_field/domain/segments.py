"""Participant segments, payers, sectors and event kinds: the closed vocabularies.

Codes are stored in the database; labels are Indonesian first, English second.
"""

from __future__ import annotations

import json
from functools import lru_cache

from bpjs_field.paths import resource_path

SEGMENTS = {
    "pu": ("Penerima Upah (PU)", "Wage earner (PU)"),
    "bpu": ("Bukan Penerima Upah (BPU)", "Informal worker (BPU)"),
    "asn": ("Aparatur Sipil Negara / non-ASN Pemda", "Civil servant / local government staff"),
    "tka": ("Tenaga Kerja Asing (TKA)", "Foreign worker (TKA)"),
}

PAYERS = {
    "mandiri": ("Mandiri (peserta sendiri)", "Self"),
    "apbd": ("APBD (Pemerintah Daerah)", "Local government (APBD)"),
    "apbn": ("APBN (Pemerintah Pusat)", "Central government (APBN)"),
    "csr": ("CSR perusahaan", "Company CSR"),
    "pemberi_kerja": ("Pemberi kerja", "Employer"),
}

EVENT_KINDS = {
    "senam_bersama": ("Senam bersama", "Mass morning exercise"),
    "wayang_interaktif": ("Wayang interaktif", "Interactive wayang show"),
    "sosialisasi_pemda": ("Sosialisasi perangkat daerah", "Briefing for local government staff"),
    "sosialisasi_koperasi": ("Sosialisasi koperasi / UMKM", "Cooperative / small business briefing"),
    "karang_taruna": ("Karang Taruna", "Village youth group"),
    "sosialisasi": ("Sosialisasi umum", "General outreach"),
}

PROGRAMS = ("JKK", "JKM", "JHT", "JP", "JKP")

REGISTRATION_STATUSES = ("baru", "diproses", "aktif", "batal")


@lru_cache(maxsize=1)
def _occupations() -> dict:
    return json.loads(resource_path("reference", "occupations.json").read_text("utf-8"))


SECTORS = tuple(_occupations()["sectors"])


@lru_cache(maxsize=1)
def occupations() -> dict[str, tuple[str, str, str]]:
    """occupation code -> (label id, label en, sector): one table, read at every
    registration's validation (twice), so built once; read it, never change it."""
    return {k: tuple(v) for k, v in _occupations()["occupations"].items()}


def sector_labels() -> dict[str, tuple[str, str]]:
    return {k: tuple(v) for k, v in _occupations()["sectors"].items()}


def sector_of(occupation: str) -> str:
    return occupations().get(occupation, ("", "", "umum"))[2]


def label(vocabulary: dict[str, tuple[str, str]], code: str, lang: str = "id") -> str:
    pair = vocabulary.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]

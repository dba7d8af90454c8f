"""The Kemendagri region list (provinces, and the kabupaten/kota the branches serve).

Loaded once from `resources/reference/`; codes are kept without dots
("321609"), the form they take inside a NIK.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from bpjs_field.paths import resource_path


@dataclass(frozen=True)
class Region:
    code: str  # without dots: "32", "3216", "321609", "3216092001"
    level: str  # "province", "regency", "district", "village"
    name: str
    province: str
    regency: str = ""
    district: str = ""
    postal_code: str = ""

    @property
    def dotted(self) -> str:
        c = self.code
        parts = [c[:2], c[2:4], c[4:6], c[6:]]
        return ".".join(p for p in parts if p)


_LEVELS = {"kab_kota": "regency", "kecamatan": "district", "desa_kel": "village"}


@lru_cache(maxsize=1)
def _load() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    with open(resource_path("reference", "provinces.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            regions[row["kode"]] = Region(row["kode"], "province", row["provinsi"], row["provinsi"])
    with open(resource_path("reference", "wilayah.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["kode"].replace(".", "")
            level = _LEVELS[row["level"]]
            name = {
                "regency": row["kabupaten_kota"],
                "district": row["kecamatan"],
                "village": row["desa_kelurahan"],
            }[level]
            regions[code] = Region(
                code, level, name, row["provinsi"], row["kabupaten_kota"],
                row["kecamatan"], row["kode_pos"],
            )
    return regions


@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    """Every NIK is checked against these: computed once (the list is read once too)."""
    return frozenset(c for c, r in _load().items() if r.level == "province")


def get_region(code: str) -> Region | None:
    """Region by code, with or without dots; None when the list does not hold it."""
    return _load().get(code.replace(".", ""))


def covered_regencies() -> list[Region]:
    """The kabupaten/kota whose kecamatan are in the list (the branches' areas)."""
    return [r for r in _load().values() if r.level == "regency"]


def districts(regency_code: str | None = None) -> list[Region]:
    """Kecamatan, optionally of one regency, in code order."""
    out = [r for r in _load().values() if r.level == "district"
           and (regency_code is None or r.code.startswith(regency_code))]
    return sorted(out, key=lambda r: r.code)


def villages(district_code: str) -> list[Region]:
    return sorted((r for r in _load().values() if r.level == "village"
                   and r.code.startswith(district_code)), key=lambda r: r.code)

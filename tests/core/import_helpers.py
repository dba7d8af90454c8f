"""Partner files for the importer tests: valid rows with real NIKs, written as a partner would."""

from __future__ import annotations

import csv
from pathlib import Path

from bpjs_field.importer import COLUMNS

DISTRICT = "321609"  # Kec. Cikarang Barat, Kabupaten Bekasi (in the region list)


def nik(i: int, *, female: bool = False, district: str = DISTRICT) -> str:
    day = 1 + i % 28 + (40 if female else 0)
    return f"{district}{day:02d}{1 + i % 12:02d}{70 + i % 30:02d}{1 + i % 9999:04d}"


def row(i: int, **changes: str) -> dict[str, str]:
    female = bool(i % 2)
    base = {"nama": "Siti Aminah" if female else "Ujang Supriatna", "segmen": "bpu",
            "persetujuan": "ya", "nik": nik(i, female=female),
            "jenis_kelamin": "PEREMPUAN" if female else "LAKI-LAKI",
            "telepon": f"0812{10_000_000 + i:08d}", "kode_kecamatan": "32.16.09",
            "pekerjaan": "pedagang", "penghasilan": "1.500.000", "jht": "ya", "bulan_dibayar": "1"}
    base.update(changes)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], *, header: list[str] | None = None,
              delimiter: str = ",") -> Path:
    fields = header or list(COLUMNS)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(fields)
        for r in rows:
            writer.writerow([r.get(f, "") for f in fields])
    return path

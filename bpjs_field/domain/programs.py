"""Which programmes a wage earner's contribution covers, and why.

Perpres 109/2013 Pasal 6 ayat (3) stages membership by the employer's scale: a
micro business must enrol its workers in JKK and JKM; a small one also in JHT;
medium and large ones also in JP.  JKP (PP 37/2021 as amended by PP 6/2025,
Pasal 4) is for Indonesian citizens enrolled before age 54 whose employer runs a
business and enrols them in at least JKK, JHT and JKM (and JP at medium and large
businesses); it costs no extra bill.

Where the rule is not settled in the sources we hold, the programme is not
computed and the reason says so ("pastikan di kantor cabang") instead of
stating it as fact:
- JP for foreign workers (TKA): commonly said to be excluded, not confirmed.
- Non-ASN staff of government agencies ("asn" segment): their employer is a
  state administrator, outside Perpres 109/2013 Pasal 6; only JKK and JKM are
  computed, and JHT/JP/JKP are left for the branch office to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SCALES = {
    "mikro": ("Usaha mikro", "Micro business"),
    "kecil": ("Usaha kecil", "Small business"),
    "menengah": ("Usaha menengah", "Medium business"),
    "besar": ("Usaha besar", "Large business"),
}
# The same scales as a list offers them under its "business scale" label: each begins with
# its own letter, so the officer picks one by typing it (B for besar).
SCALE_CHOICES = {
    "mikro": ("Mikro", "Micro"),
    "kecil": ("Kecil", "Small"),
    "menengah": ("Menengah", "Medium"),
    "besar": ("Besar", "Large"),
}
# Segments whose employer's scale decides the programmes.
SCALED_SEGMENTS = ("pu", "tka")
BY_SCALE = {"mikro": ("JKK", "JKM"), "kecil": ("JKK", "JKM", "JHT"),
            "menengah": ("JKK", "JKM", "JHT", "JP"), "besar": ("JKK", "JKM", "JHT", "JP")}
JKP_AGE_LIMIT = 54
PERPRES = "Perpres 109/2013 Pasal 6"
JKP_BASIS = "PP 37/2021 jo. PP 6/2025 Pasal 4"
CHECK = "pastikan di kantor cabang"
CHECK_EN = "check with the branch office"


@dataclass(frozen=True)
class Reason:
    """One line on the form and the receipt: a programme, whether it applies, and why."""

    program: str
    applies: bool
    text_id: str
    text_en: str
    settled: bool = True  # False: the rule is not confirmed; the text says to check

    def text(self, lang: str = "id") -> str:
        return self.text_en if lang == "en" else self.text_id


@dataclass(frozen=True)
class ProgramSet:
    """Programmes with a contribution line (`computed`), JKP (no extra bill) and the reasons."""

    computed: tuple[str, ...]
    jkp: bool
    reasons: tuple[Reason, ...]

    @property
    def programs(self) -> list[str]:
        return list(self.computed) + (["JKP"] if self.jkp else [])


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def wage_programs(segment: str, scale: str | None, *, birth_date: date | None,
                  day: date) -> ProgramSet:
    """The programmes of a PU, TKA or ASN registration on `day`.  `scale` must be one of
    SCALES for PU and TKA (the caller validates it); it is ignored for ASN."""
    if segment == "asn":
        return ProgramSet(("JKK", "JKM"), False, (
            Reason("JKK", True, "JKK dan JKM: perlindungan dasar pegawai non-ASN instansi pemerintah.",
                   "JKK and JKM: basic cover of non-civil-servant staff of a government agency."),
            Reason("JHT", False, f"JHT dan JP tidak dihitung untuk instansi pemerintah; {CHECK}.",
                   f"JHT and JP are not computed for a government agency; {CHECK_EN}.", settled=False),
            Reason("JKP", False, f"JKP diatur untuk pekerja pada pengusaha (PP 37/2021), tidak dihitung; {CHECK}.",
                   f"JKP is set for workers of a business (PP 37/2021), not computed; {CHECK_EN}.",
                   settled=False),
        ))
    computed = BY_SCALE[scale]  # type: ignore[index]
    label_id, label_en = SCALES[scale]  # type: ignore[index]
    names = " + ".join(computed)
    reasons = [Reason(computed[-1], True, f"{label_id}: wajib {names} ({PERPRES}).",
                      f"{label_en}: {names} required ({PERPRES}).")]
    if segment == "tka" and "JP" in computed:
        computed = tuple(p for p in computed if p != "JP")
        reasons.append(Reason("JP", False, f"JP bagi pekerja asing belum dipastikan, tidak dihitung; {CHECK}.",
                              f"JP for foreign workers is not confirmed and not computed; {CHECK_EN}.",
                              settled=False))
    if segment == "tka":
        reasons.append(Reason("JKP", False, f"JKP hanya untuk WNI ({JKP_BASIS}).",
                              f"JKP is for Indonesian citizens only ({JKP_BASIS})."))
        return ProgramSet(computed, False, tuple(reasons))
    if "JHT" not in computed:
        reasons.append(Reason("JKP", False, f"JKP: usaha mikro perlu juga ikut JHT ({JKP_BASIS}).",
                              f"JKP: a micro business must also enrol in JHT ({JKP_BASIS})."))
        return ProgramSet(computed, False, tuple(reasons))
    if birth_date is None or _age_on(birth_date, day) >= JKP_AGE_LIMIT:
        reasons.append(Reason("JKP", False, f"JKP hanya bila terdaftar sebelum usia {JKP_AGE_LIMIT} tahun ({JKP_BASIS}).",
                              f"JKP only when enrolled before age {JKP_AGE_LIMIT} ({JKP_BASIS})."))
        return ProgramSet(computed, False, tuple(reasons))
    reasons.append(Reason("JKP", True, f"JKP: WNI di bawah {JKP_AGE_LIMIT} tahun, tanpa tagihan tambahan; "
                                       f"syaratnya juga terdaftar JKN ({JKP_BASIS}).",
                          f"JKP: Indonesian under {JKP_AGE_LIMIT}, no extra bill; the worker must also be "
                          f"in JKN ({JKP_BASIS})."))
    return ProgramSet(computed, True, tuple(reasons))

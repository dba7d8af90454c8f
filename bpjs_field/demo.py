"""A realistic demo branch: officers, events across Kabupaten Bekasi and Kota
Cilegon, and participants with valid NIKs for those regions.

Used by `bpjs-field demo`, by the training database the first-start dialog
offers ("Latihan (data contoh)"), and by the benchmarks (300,000 people in well
under a minute).  Demo data never go into a laptop's real database by
themselves: the training database is a file of its own beside the real one
(`training_path`), and any database holding demo data is marked as training
(`is_training`), which the workstation shows on every screen and the receipts
print as LATIHAN.  Everything is
written in bulk in one transaction with the search triggers set aside and the
index rebuilt once at the end.  Demo rows write no change-log entries, so
they are never pushed to a branch server.
"""

from __future__ import annotations

import random
from dataclasses import replace
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from bpjs_field.domain.codes import make_code
from bpjs_field.domain.contribution import pu_contribution
from bpjs_field.domain.plan import PaymentPlan, bpu_plan, stored_contribution
from bpjs_field.domain.programs import wage_programs
from bpjs_field.domain.followup import KPJ, PAID, REGISTERED, STOPPED, SUBMITTED, StatusChange
from bpjs_field.domain.formatting import WIB, today_wib
from bpjs_field.domain.names import name_key
from bpjs_field.domain.regions import districts
from bpjs_field.domain.segments import EVENT_KINDS, occupations, sector_of
from bpjs_field.store import bulkload
from bpjs_field.store.store import Store, dumps, utc_now

MALE = ("Agus", "Budi", "Dedi", "Eko", "Hendra", "Joko", "Slamet", "Wahyu", "Asep", "Ujang",
        "Dadang", "Cecep", "Rizky", "Muhammad", "Ahmad", "Fajar", "Iwan", "Yusuf", "Sutrisno",
        "Bambang", "Dimas", "Rudi", "Hadi", "Ma'ruf", "Abdul", "Andi", "Bayu", "Yogi", "Irfan",
        "Rahmat", "Ade", "Entis", "Jajang", "Udin", "Suherman", "Taufik", "Ridwan", "Sugiono")
FEMALE = ("Siti", "Sri", "Dewi", "Rina", "Nur", "Euis", "Neneng", "Lilis", "Ratna", "Wulan",
          "Ayu", "Fitri", "Intan", "Yuliani", "Kartika", "Nur'aini", "Aisyah", "Ani", "Tuti",
          "Yanti", "Imas", "Cucu", "Rohmah", "Marlina", "Nining", "Eti", "Dian", "Mega", "Putri")
FAMILY = ("Saputra", "Hidayat", "Setiawan", "Kurniawan", "Rahmawati", "Lestari", "Wijaya",
          "Suryani", "Nugroho", "Permana", "Hermawan", "Susanti", "Simanjuntak", "Siregar",
          "Nasution", "Harahap", "Tanoto", "Halim", "Gunawan", "Maulana", "Ramadhan", "Hasanah",
          "Purnamasari", "Sulistyo", "Firmansyah", "Kusuma", "Pratama", "Wibowo", "Rohman",
          "bin Sanusi", "binti Rasyid", "Sudrajat", "Sumarna", "Hakim", "Fauzi")
SINGLE = ("Sukarni", "Paijo", "Tukiyem", "Sarinah", "Karta", "Wartini", "Oman")
FOREIGN = (("CN", ("Wang Wei", "Li Na", "Zhang Min", "Liu Yang", "Chen Jie")),
           ("KR", ("Kim Min-jun", "Lee Seo-yeon", "Park Ji-hoon")),
           ("JP", ("Sato Haruto", "Suzuki Yui", "Takahashi Ren")),
           ("IN", ("Rahul Sharma", "Priya Nair")),
           ("MY", ("Ahmad Faizal", "Nurul Huda")))
MOBILE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0877",
                   "0878", "0896", "0895", "0881", "0838")
STREETS = ("Jl. Raya Industri", "Jl. Kapten Sumantri", "Kp. Pulo", "Perum Griya Asri",
           "Jl. Teuku Umar", "Kp. Cibeber", "Jl. Sultan Ageng Tirtayasa", "Perum Bumi Cikarang")
VENUES = ("Lapangan Desa", "Balai Desa", "Aula Kecamatan", "Alun-alun", "Gedung Serbaguna",
          "Masjid Jami", "Pendopo")
EMPLOYERS = ("PT Sinar Logam Cikarang", "PT Multi Garmen Jababeka", "PT Cahaya Plastindo",
             "PT Krakatau Baja Mandiri", "CV Sumber Rejeki", "PT Delta Elektronik",
             "PT Mitra Kimia Cilegon", "Koperasi Karyawan Sejahtera")
PARTNERS = ("Karang Taruna", "Koperasi Nelayan Muara", "Paguyuban Ojek", "Pemerintah Desa",
            "Forum UMKM", "Kelompok Tani", "Pemerintah Kecamatan")
OFFICERS = (("Siti Rahmawati", "KC-0421", "Kantor Cabang Bekasi Cikarang", "supervisor"),
            ("Dedi Kurniawan", "KC-0433", "Kantor Cabang Bekasi Cikarang", "officer"),
            ("Ayu Lestari", "KC-0457", "Kantor Cabang Bekasi Cikarang", "officer"),
            ("Hendra Wijaya", "KC-0462", "Kantor Cabang Bekasi Cikarang", "officer"),
            ("Ahmad Fauzi", "CL-0112", "Kantor Cabang Cilegon", "supervisor"),
            ("Nur'aini Hasanah", "CL-0118", "Kantor Cabang Cilegon", "officer"))
BPU_INCOMES = (1000000, 1000000, 1000000, 1500000, 2000000, 2500000, 3000000, 4000000, 5000000)
SEGMENT_WEIGHTS = (("pu", 50), ("bpu", 30), ("asn", 15), ("tka", 5))
CONSENT_VERSION = "demo"
STOP_REASONS = ("Pindah kerja ke luar daerah", "Tidak dapat dihubungi", "Memilih tidak melanjutkan")

Progress = Callable[[int, int], None]
DEMO_SETTING = "demo_data"
TRAINING_SUFFIX = "-latihan"


def training_path(db_path: Path) -> Path:
    """The training database that belongs beside a laptop database:
    `bpjs_field.sqlite3` -> `bpjs_field-latihan.sqlite3`."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}{TRAINING_SUFFIX}{db_path.suffix}")


def is_training(store: Store) -> bool:
    """True for a database that holds demo data (a training database)."""
    return str(store.get_setting(DEMO_SETTING, "")).lower() in ("true", "1")


def mark_training(store: Store) -> None:
    store.set_setting(DEMO_SETTING, True)


def person_name(rng: random.Random, sex: str) -> str:
    """A name as the branch's people have them: a given and a family name, a few with two
    given names or one name alone."""
    roll = rng.random()
    given = rng.choice(MALE if sex == "L" else FEMALE)
    if roll < 0.05:
        return rng.choice(SINGLE)
    if roll < 0.15:
        return f"{given} {rng.choice(MALE if sex == 'L' else FEMALE)} {rng.choice(FAMILY)}"
    return f"{given} {rng.choice(FAMILY)}"


# Contributions repeat a lot in demo data: compute and serialise each one once.
@lru_cache(maxsize=4096)
def _bpu(income: int, jht: bool, period: date, sector: str, payer: str,
         months: int) -> tuple[str, str, int, int]:
    plan = bpu_plan(income, with_jht=jht, start=period, months=months, sector=sector, payer=payer)
    c = plan.runs[0].monthly
    return dumps(c.programs), dumps(stored_contribution(c, plan)), c.total, plan.total


@lru_cache(maxsize=65536)
def _pu(wage: int, risk: int, period: date, segment: str, scale: str | None,
        young: bool) -> tuple[str, str, int, int]:
    # `young`: under the JKP age limit on the registration day.
    chosen = wage_programs(segment, scale, birth_date=period if young else date(1900, 1, 1), day=period)
    c = pu_contribution(wage, risk_class=risk, period=period, programs=chosen.computed)
    return dumps(chosen.programs), dumps(stored_contribution(c, PaymentPlan.single(c))), c.total, c.total


_name_key = lru_cache(maxsize=65536)(name_key)
BULK_INDEXES = bulkload.BULK_INDEXES


def _uuid4(rng: random.Random) -> str:
    """A version-4 UUID string from the seeded generator (cheaper than uuid.UUID)."""
    h = f"{rng.getrandbits(128) & ~(0xF << 76) & ~(0x3 << 62) | (0x4 << 76) | (0x2 << 62):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def fill_demo(store: Store, participants: int = 2000, *, seed: int = 2026,
              progress: Progress | None = None) -> dict[str, int]:
    """Add a demo branch to `store`; returns counts of what was written.  The officer the
    store writes as stays who it was (whoever logged in): the demo officers are other rows."""
    rng = random.Random(seed)
    working_officer = store.officer_id
    dists = districts()
    bekasi = [d for d in dists if d.code.startswith("3216")]
    cilegon = [d for d in dists if d.code.startswith("3672")]
    officers = [store.officers.create(full_name=n, employee_no=e, branch=b, role=r)
                for n, e, b, r in OFFICERS]
    store.remember_officer(working_officer or officers[0]["id"])  # who made the demo events
    now = datetime.now(timezone.utc)
    stamp = utc_now()
    now_text = now.astimezone(WIB).isoformat()  # compared with the events' WIB start times
    events = []
    kinds = list(EVENT_KINDS)
    with store.write():
        for i in range(24):
            district = rng.choice(bekasi if i % 4 else cilegon)
            day = (now - timedelta(days=rng.randint(-20, 300))).date()
            start = datetime.combine(day, time(rng.choice((6, 8, 13, 19))), tzinfo=WIB)
            kind = kinds[i % len(kinds)]
            row = {"id": _uuid4(rng), "kind": kind,
                   "title": f"{EVENT_KINDS[kind][0]} {district.name}",
                   "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat(),
                   "venue": f"{rng.choice(VENUES)} {district.name}", "district_code": district.code,
                   "partner_org": f"{rng.choice(PARTNERS)} {district.name}",
                   "targets": dumps({"bpu": rng.choice((50, 100, 150)), "pu": rng.choice((30, 60)),
                                     "asn": 20, "tka": 5, "attendance": rng.choice((200, 300, 500))}),
                   "branch": OFFICERS[0][2] if district.code.startswith("3216") else OFFICERS[4][2],
                   "created_by": officers[0]["id"], "created_at": stamp, "updated_at": stamp}
            bulkload.insert_event_row(store, row)
            events.append(row)
        store.audit("demo.fill", participants=participants)
    store.events.set_active(min(events, key=lambda e: abs(
        datetime.fromisoformat(e["starts_at"]) - now))["id"])

    occupation_codes = list(occupations())
    seen_nik: set[str] = set()
    tag = store.device_tag
    seq = bulkload.codes_issued(store, tag)
    segments = [s for s, w in SEGMENT_WEIGHTS for _ in range(w)]
    batch = 20000
    written = 0
    attendance = 0
    with store.write(), bulkload.bulk_load(store):
        while written < participants:
            people_rows, reg_rows, att_rows = [], [], []
            for _ in range(min(batch, participants - written)):
                pid = _uuid4(rng)
                segment = rng.choice(segments)
                sex = rng.choice("LP")
                birth = date(rng.randint(1962, 2006), rng.randint(1, 12), rng.randint(1, 28))
                event = rng.choice(events)
                # An event still to come has registrations made before it (today) and
                # nobody checked in yet: no check-in may look newer than the door's own.
                upcoming = event["starts_at"] > now_text
                created = stamp if upcoming else event["starts_at"]
                officer = rng.choice(officers)["id"]
                district = rng.choice(bekasi if rng.random() < 0.8 else cilegon)
                nik = passport = nationality = kitas = kitas_expiry = None
                if segment == "tka":
                    nationality, names = rng.choice(FOREIGN)
                    name = rng.choice(names)
                    passport = f"{rng.choice('EGKMPT')}{rng.randint(10000000, 99999999)}"
                    kitas = f"2C1{rng.randint(100000, 999999)}-{rng.choice('ABCDEF')}"
                    kitas_expiry = (now.date() + timedelta(days=rng.randint(90, 700))).isoformat()
                else:
                    name = person_name(rng, sex)
                    while True:
                        day = birth.day + (40 if sex == "P" else 0)
                        nik = (f"{district.code}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
                               f"{rng.randint(1, 9999):04d}")
                        if nik not in seen_nik:
                            seen_nik.add(nik)
                            break
                phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(10000000, 99999999)}"
                occupation = rng.choice(occupation_codes) if segment == "bpu" else None
                people_rows.append((
                    pid, nik, passport, nationality, kitas, kitas_expiry, name, _name_key(name),
                    birth.isoformat(), sex, "+62" + phone[1:],
                    f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, RT {rng.randint(1, 15):03d}/RW {rng.randint(1, 9):03d}",
                    district.code, occupation, CONSENT_VERSION, created, store.device_id, created, created))
                period = date.fromisoformat(created[:10]).replace(day=1)
                income = wage = risk = months = payer = sector = employer = payer_name = scale = None
                if segment == "bpu":
                    income = rng.choice(BPU_INCOMES)
                    sector = sector_of(occupation)
                    payer = rng.choice(("mandiri",) * 6 + ("apbd", "csr"))
                    payer_name = {"apbd": "Pemerintah Kota Cilegon", "csr": "PT Krakatau Peduli"}.get(payer)
                    months = rng.choice((1, 1, 3, 6, 12))
                    contribution = _bpu(income, rng.random() < 0.3, period, sector, payer, months)
                else:
                    wage = rng.randrange(5_000_000, 15_000_000, 50_000)
                    risk = 1 if segment == "asn" else rng.choice((1, 2, 3, 3, 4, 5))
                    payer = "pemberi_kerja"
                    employer = "Pemerintah Kabupaten Bekasi" if segment == "asn" else rng.choice(EMPLOYERS)
                    scale = None if segment == "asn" else rng.choice(("mikro", "kecil", "menengah", "besar", "besar"))
                    age = period.year - birth.year
                    contribution = _pu(wage, risk, period, segment, scale, age < 53)
                seq += 1
                reg_id = _uuid4(rng)
                reg_rows.append((
                    reg_id, make_code(tag, seq), pid, event["id"], officer, store.device_id, segment,
                    contribution[0], income, wage, risk, occupation, sector, payer,
                    months, employer, contribution[1], contribution[2],
                    CONSENT_VERSION, created, "baru", "demo", created, created, payer_name, scale,
                    contribution[3]))
                if not upcoming and rng.random() < 0.4:
                    att_rows.append((_uuid4(rng),
                                     event["id"], pid, created, rng.choice(("scan", "scan", "search")),
                                     store.device_id, officer, reg_id))
            bulkload.insert_rows(store, people_rows, reg_rows, att_rows)
            written += len(people_rows)
            attendance += len(att_rows)
            if progress:
                progress(written, participants)
    mark_training(store)
    store.remember_officer(working_officer)
    store.registrations._next_seq = None
    bulkload.analyze(store)
    return {"officers": len(officers), "events": len(events), "people": written,
            "registrations": written, "attendance": attendance}


def fill_followup(store: Store, *, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    """The branch's work after the demo events, so that a trainee sees a funnel on the
    follow-up list and the report: most registrations of past events submitted to BPJS
    systems a few days after the event, many of them with a KPJ number a week or two
    later, some paid, a few stopped.  Each step is checked by the follow-up's own rules
    (`StatusChange.validate`); no step is dated after today.  Returns registrations per
    status reached."""
    rng = random.Random(seed)
    today = today or today_wib()
    rows = store.query("SELECT id, segment, officer_id, months_paid, created_at, status "
                       "FROM registrations WHERE source = 'demo' AND status = 'baru' ORDER BY rowid")
    counts: dict[str, int] = {}
    kpj_numbers = rng.sample(range(10**10, 10**11), len(rows))
    updates = []
    for row, number in zip(rows, kpj_numbers):
        current = dict(row)
        day = date.fromisoformat(row["created_at"][:10])
        kpj_no = f"{number:011d}"
        steps = [(0.8, StatusChange(SUBMITTED), (1, 5)),
                 (0.7, StatusChange(KPJ, kpj_no=kpj_no), (3, 14)),
                 (0.6, StatusChange(PAID, kpj_no=kpj_no, paid_months=row["months_paid"] or 1,
                                    payment_code=f"88888{kpj_no}" if row["segment"] == "bpu" else None),
                  (0, 20))]
        for chance, change, (low, high) in steps:
            day += timedelta(days=rng.randint(low, high))
            if day > today or rng.random() > chance:
                break
            current.update(replace(change, on=day).validate(current, today))
        if current["status"] not in (REGISTERED, PAID) and rng.random() < 0.05:
            current.update(StatusChange(STOPPED, reason=rng.choice(STOP_REASONS),
                                        on=min(day, today)).validate(current, today))
        if current["status"] == REGISTERED:
            continue
        counts[current["status"]] = counts.get(current["status"], 0) + 1
        changed = {k: v for k, v in current.items() if k not in row}
        changed.update(status=current["status"], status_by=row["officer_id"],
                       status_at=datetime.combine(min(day, today), time(10), tzinfo=WIB).isoformat())
        updates.append((changed, row["id"]))
    columns = ("status", "submitted_at", "kpj_no", "kpj_at", "first_paid_at", "first_paid_months",
               "payment_code", "stopped_reason", "status_at", "status_by")
    with store.write(), bulkload.report_totals_recounted(store):
        store.db.conn.executemany(
            f"UPDATE registrations SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [(*(changed.get(c) for c in columns), rid) for changed, rid in updates])
    return counts


"""The store: one transaction per registration with its change log and audit, no duplicate
people, attendance as a set, search that is fast-pathed and injection-proof, migrations."""

import json
import sqlite3
from datetime import date

import pytest

from bpjs_field import PersonInput, RegistrationInput, Store, ValidationErrors, format_code
from bpjs_field.store import migrations

NIK = "3216091205900001"


def bpu_form(nik=NIK, name="Budi Santoso", event_id=None, **extra):
    fields = dict(declared_income=1_000_000, occupation="ojek", months_paid=3)
    fields.update(extra)
    return RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik, phone="0812-3456-7890"),
        consent_given=True, consent_version="2026-01", event_id=event_id, **fields)


def test_registration_writes_person_registration_change_log_and_audit(store, officer, event):
    result = store.registrations.register(bpu_form(event_id=event["id"]), today=date(2026, 7, 1))
    reg, person = result.registration, result.person
    assert result.person_created
    assert person["nik"] == NIK and person["birth_date"] == "1990-05-12" and person["sex"] == "L"
    assert person["district_code"] == "321609" and person["phone"] == "+6281234567890"
    assert reg["segment"] == "bpu" and reg["monthly_total"] == 8_400  # ojek: transport discount
    assert reg["sector"] == "transportasi" and reg["months_paid"] == 3
    assert reg["officer_id"] == officer["id"] and reg["device_id"] == store.device_id
    assert json.loads(reg["contribution"])["discount_basis"] == "PP 50/2025"
    changes = store.query("SELECT entity, entity_id, payload FROM change_log ORDER BY seq")
    assert [(c["entity"], c["entity_id"]) for c in changes][-2:] == [
        ("person", person["id"]), ("registration", reg["id"])]
    assert json.loads(changes[-1]["payload"])["code"] == reg["code"]
    actions = [a["action"] for a in store.query("SELECT action FROM audit_log")]
    assert "person.create" in actions and "registration.create" in actions
    audit_text = " ".join(a["details"] for a in store.query("SELECT details FROM audit_log"))
    assert NIK not in audit_text and "Budi" not in audit_text


def test_same_nik_never_creates_a_second_person(store, officer):
    first = store.registrations.register(bpu_form())
    second = store.registrations.register(bpu_form(name="BUDI SANTOSO"))
    assert not second.person_created
    assert second.person["id"] == first.person["id"]
    assert store.scalar("SELECT count(*) FROM people") == 1
    assert store.scalar("SELECT count(*) FROM registrations") == 2
    assert first.registration["code"] != second.registration["code"]


def test_unique_constraint_is_the_last_guard(store):
    store.registrations.register(bpu_form())
    with pytest.raises(sqlite3.IntegrityError):
        with store.write():
            store.db.execute("INSERT INTO people(id, nik, full_name, name_key, created_device, "
                             "created_at, updated_at) VALUES ('x', ?, 'A', 'a', 'd', 'n', 'n')", (NIK,))


def test_invalid_form_lists_every_field_and_writes_nothing(store):
    form = RegistrationInput(segment="bpu", person=PersonInput(full_name="B4di", nik="123", phone="0812"),
                             consent_given=False, declared_income=500_000)
    with pytest.raises(ValidationErrors) as err:
        store.registrations.register(form)
    assert {e.field for e in err.value.errors} == {"full_name", "nik", "phone", "consent", "declared_income"}
    assert store.scalar("SELECT count(*) FROM people") == 0
    assert store.scalar("SELECT count(*) FROM change_log") == 0


def test_tka_registers_with_passport(store):
    form = RegistrationInput(
        segment="tka", person=PersonInput(full_name="Wang Wei", passport_no="E12345678", nationality="CN",
                                          kitas_no="2C11AB1234", kitas_expiry=date(2027, 12, 31)),
        consent_given=True, consent_version="2026-01", wage=15_000_000, risk_class=3,
        employer_name="PT Krakatau Baja Mandiri", employer_scale="besar")
    result = store.registrations.register(form, today=date(2026, 11, 22))
    assert result.person["nik"] is None and result.person["passport_no"] == "E12345678"
    assert "JKP" not in json.loads(result.registration["programs"])  # JKP is for citizens only
    again = store.registrations.register(form, today=date(2026, 11, 22))
    assert again.person["id"] == result.person["id"]


def test_pu_under_54_gets_jkp(store):
    form = RegistrationInput(segment="pu", person=PersonInput(full_name="Ayu Lestari", nik="3216094508950002"),
                             consent_given=True, consent_version="v", wage=5_938_885, risk_class=2,
                             employer_scale="menengah")
    reg = store.registrations.register(form, today=date(2026, 11, 22)).registration
    assert json.loads(reg["programs"]) == ["JKK", "JKM", "JHT", "JP", "JKP"]
    assert reg["employer_scale"] == "menengah" and reg["amount_due"] == reg["monthly_total"]


def test_codes_are_sequential_per_laptop_and_survive_reopen(db_path):
    with Store.open(db_path) as s:
        codes = [s.registrations.register(bpu_form(nik=f"321609120590{n:04d}")).registration["code"]
                 for n in range(1, 4)]
    with Store.open(db_path) as s:
        code = s.registrations.register(bpu_form(nik="3216091205900009")).registration["code"]
    assert len(set(codes + [code])) == 4
    assert all(c.startswith(s.device_tag) for c in codes + [code])
    assert sorted(codes + [code]) == codes + [code]


def test_check_in_once_per_event(store, officer, event):
    reg = store.registrations.register(bpu_form(event_id=event["id"])).registration
    first = store.attendance.check_in_code(event["id"], format_code(reg["code"]).lower())
    second = store.attendance.check_in_code(event["id"], reg["code"])
    assert first.status == "checked_in" and second.status == "already"
    assert second.attendance["checked_in_at"] == first.attendance["checked_in_at"]
    assert store.attendance.check_in_code(event["id"], "ZZZZ-0000-0").status == "unknown"
    assert store.attendance.count(event["id"]) == 1
    assert store.attendance.undo(first.attendance["id"])
    assert store.attendance.count(event["id"]) == 0
    last = store.query_one("SELECT op FROM change_log ORDER BY seq DESC LIMIT 1")
    assert last["op"] == "delete"


def test_registration_during_check_in_checks_the_person_in(store, officer, event):
    result = store.registrations.register(bpu_form(event_id=event["id"]), check_in=True)
    assert result.checked_in
    assert store.attendance.get(event["id"], result.person["id"])["method"] == "registration"


@pytest.mark.parametrize("query", ["budi", "BUD", "santo", "Budi San", "321609", NIK, "08123", "62812",
                                   "0812-3456"])
def test_search_finds_by_name_nik_phone(store, query):
    store.registrations.register(bpu_form())
    hits = store.search_index.search(query)
    assert [h["nik"] for h in hits] == [NIK]


def test_search_by_code_fast_path_and_prefix(store):
    code = store.registrations.register(bpu_form()).registration["code"]
    assert store.search_index.search(format_code(code))[0]["nik"] == NIK
    assert store.search_index.search(code[:6])[0]["nik"] == NIK


def test_search_is_accent_and_apostrophe_insensitive(store):
    store.registrations.register(bpu_form(name="José Ma'ruf", nik="3216091205900002"))
    for query in ("jose", "JOSÉ", "maruf", "ma'ruf"):
        assert [h["full_name"] for h in store.search_index.search(query)] == ["José Ma'ruf"], query


@pytest.mark.parametrize("hostile", ['"', "'", "AND", "OR NOT", "NEAR(budi", "*", "budi*)", "^", ":",
                                     "name:budi", "'; DROP TABLE people; --", "\x00", "a" * 5000, "((", "-"])
def test_hostile_search_text_is_plain_text(store, hostile):
    store.registrations.register(bpu_form())
    store.search_index.search(hostile)  # must not raise
    assert store.scalar("SELECT count(*) FROM people") == 1


def test_drafts_survive_reopening(db_path):
    with Store.open(db_path) as s:
        s.save_draft("registration", {"nik": "3216", "full_name": "Bu"})
    with Store.open(db_path) as s:
        assert s.load_draft("registration") == {"nik": "3216", "full_name": "Bu"}
        s.clear_draft("registration")
        assert s.load_draft("registration") is None


def test_audit_log_is_append_only(store):
    store.registrations.register(bpu_form())
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("UPDATE audit_log SET action = 'x'")
    with pytest.raises(sqlite3.DatabaseError):
        store.db.execute("DELETE FROM audit_log")


def test_person_edit_is_validated_audited_and_synced(store):
    person = store.registrations.register(bpu_form()).person
    with pytest.raises(ValidationErrors):
        store.people.update(person["id"], {"phone": "12"})
    updated = store.people.update(person["id"], {"phone": "0857 1111 2222", "full_name": "Budi Santosa"})
    assert updated["phone"] == "+6285711112222"
    assert [h["id"] for h in store.search_index.search("santosa")] == [person["id"]]
    change = store.query_one("SELECT payload FROM change_log ORDER BY seq DESC LIMIT 1")
    assert set(json.loads(change["payload"])) == {"id", "phone", "full_name"}
    assert store.people.history(person["id"])[-1]["action"] == "person.edit"
    # An unchanged value writes nothing, unless forced (a conflict resolution must reach a
    # server that holds another value).
    before = store.scalar("SELECT count(*) FROM change_log")
    store.people.update(person["id"], {"phone": "0857 1111 2222"})
    assert store.scalar("SELECT count(*) FROM change_log") == before
    store.people.update(person["id"], {"phone": "0857 1111 2222"}, force=True)
    change = store.query_one("SELECT payload FROM change_log ORDER BY seq DESC LIMIT 1")
    assert json.loads(change["payload"]) == {"id": person["id"], "phone": "+6285711112222"}


def test_wal_and_durable_commits(store):
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL


def test_migration_takes_a_backup_first(db_path, monkeypatch):
    Store.open(db_path).close()
    ran = []

    def v2(db):
        ran.append(True)
        db.execute("CREATE TABLE extra (x)")

    extended = migrations.MIGRATIONS + [v2]
    monkeypatch.setattr(migrations, "MIGRATIONS", extended)
    monkeypatch.setattr(migrations, "LATEST", len(extended))
    with Store.open(db_path) as s:
        assert s.scalar("PRAGMA user_version") == len(extended) and ran
    backup = db_path.with_name(f"{db_path.stem}.pre-v{len(extended)}{db_path.suffix}")
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(extended) - 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_stale_pre_migration_copy_is_kept_and_the_migration_still_runs(db_path, monkeypatch):
    """A copy of that name left from before (another database at this path, restored or
    set up again, maybe encrypted with another key) neither stops the migration nor is
    overwritten."""
    Store.open(db_path).close()
    extended = migrations.MIGRATIONS + [lambda db: db.execute("CREATE TABLE extra (x)")]
    monkeypatch.setattr(migrations, "MIGRATIONS", extended)
    monkeypatch.setattr(migrations, "LATEST", len(extended))
    stale = db_path.with_name(f"{db_path.stem}.pre-v{len(extended)}{db_path.suffix}")
    stale.write_bytes(b"an older copy, not readable with this database's key" * 100)
    with Store.open(db_path) as s:
        assert s.scalar("PRAGMA user_version") == len(extended)
    assert stale.read_bytes().startswith(b"an older copy")
    (fresh,) = [p for p in db_path.parent.glob(f"{db_path.stem}.pre-v{len(extended)}-*")]
    conn = sqlite3.connect(fresh)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(extended) - 1


def test_newer_schema_is_refused_clearly(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    from bpjs_field import KnownError
    with pytest.raises(KnownError) as err:
        Store.open(db_path)
    assert err.value.code == "storage.newer"


def test_demo_data_is_valid_and_searchable(store):
    from bpjs_field import parse_nik, normalize_phone
    from bpjs_field.demo import fill_demo
    counts = fill_demo(store, 300, seed=7)
    assert counts["people"] == 300
    assert store.pending_changes() == store.scalar("SELECT count(*) FROM change_log WHERE entity = 'officer'")
    for row in store.query("SELECT nik, phone FROM people WHERE nik IS NOT NULL LIMIT 100"):
        parse_nik(row["nik"])
        assert normalize_phone(row["phone"]) == row["phone"]
    any_person = store.query_one("SELECT full_name, nik FROM people WHERE nik IS NOT NULL LIMIT 1")
    assert any_person["nik"] in [h["nik"] for h in store.search_index.search(any_person["full_name"], 500)]
    assert store.integrity_check() == "ok"
    assert store.events.active() is not None


def test_new_ids_sort_in_creation_order_and_stay_unique():
    from bpjs_field.store.store import new_id
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # time-ordered: each save appends to the id indexes


def test_people_count_leaves_out_merged_people_and_reads_an_index(store):
    first = store.registrations.register(bpu_form()).person
    store.registrations.register(bpu_form(nik="3216091205900002", name="Ani Lestari"))
    assert store.people.count() == store.stats()["people"] == 2
    with store.write():
        store.db.execute("UPDATE people SET merged_into = 'x' WHERE id = ?", (first["id"],))
    assert store.people.count() == store.stats()["people"] == 1
    plan = " ".join(str(row[-1]) for row in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM people WHERE merged_into IS NOT NULL"))
    assert "people_merged" in plan

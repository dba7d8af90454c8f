"""The search index holds every prefix length the search box sends as the officer types
(1 to 7 characters; longer ones match few terms), also in databases made before."""

from __future__ import annotations

from bpjs_field import PersonInput, RegistrationInput, Store
from bpjs_field.store import migrations


def register(store, name, nik):
    return store.registrations.register(RegistrationInput(
        segment="bpu", person=PersonInput(full_name=name, nik=nik), consent_given=True,
        consent_version="t", declared_income=1_000_000))


def index_sql(store):
    return store.scalar("SELECT sql FROM sqlite_master WHERE name = 'people_fts'")


def test_a_new_database_indexes_prefixes_of_one_to_seven_characters(store):
    assert f"prefix = '{migrations.SEARCH_PREFIX}'" in index_sql(store)
    assert migrations.SEARCH_PREFIX.split() == [str(n) for n in range(1, 8)]


def _search_migrations_only(monkeypatch) -> None:
    """Only the search index of these files is made old (the rest of the schema is the
    latest, so the later migrations, which add columns and tables, must not run again):
    open them with the migrations up to the search index's last (8)."""
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:8])
    monkeypatch.setattr(migrations, "LATEST", 8)


def test_an_older_index_is_rebuilt_with_its_rows_and_triggers(db_path, monkeypatch):
    with Store.open(db_path) as s:
        code = register(s, "Siti Aminah", "3216094508900001").registration["code"]
        monkeypatch.setattr(migrations, "SEARCH_PREFIX", "2 3 4")  # the index as version 4 had it
        with s.db.atomic():
            migrations._v7(s.db)
            s.db.execute("PRAGMA user_version = 6")
        assert "prefix = '2 3 4'" in index_sql(s)
        triggers = s.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
    monkeypatch.undo()
    _search_migrations_only(monkeypatch)
    with Store.open(db_path) as s:
        assert s.scalar("PRAGMA user_version") == migrations.LATEST == 8
        assert f"prefix = '{migrations.SEARCH_PREFIX}'" in index_sql(s)
        assert s.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == triggers
        for text in ("S", "3", "32160", "321609", "3216094", code):
            assert [h["full_name"] for h in s.search_index.search(text)] == ["Siti Aminah"], text
        register(s, "Bambang Wibowo", "3216091203850002")  # the triggers still feed the index
        assert [h["full_name"] for h in s.search_index.search("3216091")] == ["Bambang Wibowo"]
        # one row by name (a registration code, also indexed, may itself begin with a B)
        assert s.scalar("SELECT count(*) FROM people_fts WHERE people_fts MATCH 'name : b*'") == 1
        assert s.integrity_check() == "ok"
    assert list(db_path.parent.glob(f"*.pre-v{migrations.LATEST}*"))  # the copy taken before migrating


def name_entries(store):
    """How many (word, row) entries the index holds for the name column."""
    store.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms "
                     "USING fts5vocab(main, 'people_fts', 'instance')")
    return store.scalar("SELECT count(*) FROM temp.fts_terms WHERE col = 'name'")


def test_a_name_is_indexed_once_unless_it_has_an_apostrophe_or_hyphen(db_path):
    with Store.open(db_path) as s:
        register(s, "Siti Aminah", "3216094508900001")
        register(s, "Ma'ruf Al-Amin", "3216091203850002")
        # "siti", "aminah"; "ma", "ruf", "al", "amin", then "maruf", "alamin"
        assert name_entries(s) == 2 + 6
        assert s.scalar("SELECT name FROM people_fts f JOIN people p ON p.rowid = f.rowid "
                        "WHERE p.nik = '3216094508900001'") == "Siti Aminah"
        for text, found in (("siti am", ["Siti Aminah"]), ("maruf", ["Ma'ruf Al-Amin"]),
                            ("alam", ["Ma'ruf Al-Amin"]), ("ruf", ["Ma'ruf Al-Amin"])):
            assert [h["full_name"] for h in s.search_index.search(text)] == found, text
        with s.write():
            s.db.execute("UPDATE people SET full_name = 'Siti Nur-Aminah' WHERE nik = '3216094508900001'")
        assert [h["full_name"] for h in s.search_index.search("nuram")] == ["Siti Nur-Aminah"]


def test_an_index_with_every_name_twice_is_rewritten_once_with_the_same_results(db_path,
                                                                                monkeypatch):
    with Store.open(db_path) as s:
        code = register(s, "Siti Aminah", "3216094508900001").registration["code"]
        register(s, "Ma'ruf Al-Amin", "3216091203850002")
        with s.db.atomic():  # the index and triggers as version 7 left them
            s.db.execute("DROP TABLE people_fts")
            for name in migrations.SEARCH_TRIGGERS:
                s.db.execute(f"DROP TRIGGER IF EXISTS {name}")
            migrations.run_script(s.db, migrations.SEARCH_V1)
            s.db.execute(
                "INSERT INTO people_fts(rowid, name, ident, phone, codes) SELECT p.rowid, "
                "p.full_name || ' ' || replace(replace(p.full_name, '''', ''), '-', ''), p.nik, '', "
                "coalesce((SELECT group_concat(code, ' ') FROM registrations r "
                "WHERE r.person_id = p.id), '') FROM people p")
            s.db.execute("PRAGMA user_version = 7")
        assert name_entries(s) == 4 + 6  # "siti aminah siti aminah"
        triggers = s.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
    _search_migrations_only(monkeypatch)
    with Store.open(db_path) as s:
        assert s.scalar("PRAGMA user_version") == migrations.LATEST == 8
        assert name_entries(s) == 2 + 6
        assert s.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == triggers
        for text in ("siti", "32160945", code):
            assert [h["full_name"] for h in s.search_index.search(text)] == ["Siti Aminah"], text
        assert [h["full_name"] for h in s.search_index.search("maruf")] == ["Ma'ruf Al-Amin"]
        register(s, "Bambang Wibowo", "3216091203850003")  # the new triggers index it once
        assert name_entries(s) == 2 + 6 + 2
        assert [h["full_name"] for h in s.search_index.search("bamb")] == ["Bambang Wibowo"]
        assert s.integrity_check() == "ok"


def test_a_phone_is_found_through_the_search_index_once_its_own_index_is_gone(tmp_path, monkeypatch):
    """Migration 14 drops the index of people by phone (no query read it; every saved
    person rewrote a page of it): a number typed in the search box still finds its person."""
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:13])
    monkeypatch.setattr(migrations, "LATEST", 13)
    db_path = tmp_path / "v13.sqlite3"
    with Store.open(db_path) as s:
        s.registrations.register(RegistrationInput(
            segment="bpu", person=PersonInput(full_name="Siti Aminah", nik="3216094107900001",
                                              phone="0812-3456-7890"),
            consent_given=True, consent_version="t", declared_income=1_000_000))
        assert s.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'people_phone'") == 1
    monkeypatch.undo()
    with Store.open(db_path) as s:
        assert s.scalar("PRAGMA user_version") == migrations.LATEST >= 14
        assert s.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'people_phone'") == 0
        for typed in ("0812-3456", "+62 812 3456 7890", "08123456"):
            assert [p["full_name"] for p in s.search_index.search(typed)] == ["Siti Aminah"], typed

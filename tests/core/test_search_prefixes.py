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
    with Store.open(db_path) as s:
        assert s.scalar("PRAGMA user_version") == migrations.LATEST
        assert f"prefix = '{migrations.SEARCH_PREFIX}'" in index_sql(s)
        assert s.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == triggers
        for text in ("S", "3", "32160", "321609", "3216094", code):
            assert [h["full_name"] for h in s.search_index.search(text)] == ["Siti Aminah"], text
        register(s, "Bambang Wibowo", "3216091203850002")  # the triggers still feed the index
        assert [h["full_name"] for h in s.search_index.search("3216091")] == ["Bambang Wibowo"]
        assert s.scalar("SELECT count(*) FROM people_fts WHERE people_fts MATCH 'b*'") == 1
        assert s.integrity_check() == "ok"
    assert list(db_path.parent.glob("*.pre-v5*"))  # the copy taken before migrating

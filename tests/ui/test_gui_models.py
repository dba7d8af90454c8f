"""Every item model passes qtmodeltester; the lazy people model loads its rows
in blocks and masks NIKs."""

from __future__ import annotations

from bpjs_field.demo import fill_demo
from bpjs_field.domain.names import name_key
from bpjs_field.domain.nik import mask_nik
from ui.models import columns
from ui.models.events_model import EventsModel
from ui.models.people_model import BLOCK, PeopleTableModel
from ui.models.search_model import SearchResultsModel
from ui.tasks import DbExecutor


def test_people_model_is_lazy_and_passes_modeltester(qtbot, qtmodeltester, store):
    fill_demo(store, participants=3 * BLOCK + 17)
    executor = DbExecutor(store, synchronous=True)
    model = PeopleTableModel(executor)
    with qtbot.waitSignal(model.loaded):
        model.reload()
    assert model.rowCount() == store.people.count()
    assert not model._blocks  # nothing fetched before a view asks
    first = model.index(0, columns.NAME)
    assert model.data(first) == "…"  # placeholder while the block is requested
    qtbot.waitUntil(lambda: 0 in model._blocks)
    assert len(model._blocks) == 1
    row = model.data(first, columns.ROW_ROLE)
    assert model.data(first) == row["full_name"]
    nik_row = next(i for i in range(BLOCK) if model.data(model.index(i, columns.IDENT), columns.ROW_ROLE)["nik"])
    shown = model.data(model.index(nik_row, columns.IDENT))
    person = model.data(model.index(nik_row, columns.NAME), columns.ROW_ROLE)
    assert shown == mask_nik(person["nik"]) and "******" in shown
    last = model.index(model.rowCount() - 1, columns.NAME)
    model.data(last)
    qtbot.waitUntil(lambda: 3 in model._blocks)
    keys = [name_key(model.data(model.index(i, columns.NAME))) for i in range(BLOCK)]
    assert keys == sorted(keys)  # name order, as the store gives it
    qtmodeltester.check(model, force_py=True)


def test_search_model_passes_modeltester(qtmodeltester, store):
    fill_demo(store, participants=300)
    model = SearchResultsModel()
    model.set_rows(store.search_index.search("a", 50))
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_events_model_passes_modeltester(qtmodeltester, store, event):
    store.events.set_active(event["id"])
    model = EventsModel("id")
    model.set_rows(store.events.list(), event["id"])
    assert model.data(model.index(0, 0)) == event["title"]
    assert model.data(model.index(0, 4)) == "★"
    assert "November" in model.data(model.index(0, 2))
    qtmodeltester.check(model, force_py=True)

"""The supervisor's accounts page: list, add an officer, set a forgotten password."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from bpjs_field.errors import BpjsFieldError
from bpjs_field.security import session
from ui.security.accounts_page import AccountsPage
from ui.tasks import DbExecutor

from .conftest import OFFICER, SUPERVISOR


@pytest.fixture
def page(qtbot, secure_path):
    store = session.unlock(secure_path, *SUPERVISOR)
    executor = DbExecutor(store, synchronous=True)
    widget = AccountsPage(executor, "en")
    qtbot.addWidget(widget)
    widget.show()
    QApplication.processEvents()
    yield widget
    executor.shutdown()
    store.close()


def test_supervisor_adds_an_officer_and_resets_a_password(page, secure_path):
    assert {page.table.item(r, 0).text() for r in range(page.table.rowCount())} == {SUPERVISOR[0], OFFICER[0]}
    page.new_number.setText("KC-0600")
    page.new_name.setText("Ujang Permana")
    page.new_password.setText("petugas-baru-1")
    page.new_confirm.setText("petugas-baru-2")
    page.add_button.click()
    assert "differ" in page.message.text().lower() or "sama" in page.message.text().lower()
    page.new_confirm.setText("petugas-baru-1")
    page.add_button.click()
    assert page.table.rowCount() == 3
    session.unlock(secure_path, "KC-0600", "petugas-baru-1").close()
    row = [page.table.item(r, 0).text() for r in range(page.table.rowCount())].index(OFFICER[0])
    page.table.selectRow(row)
    page.reset_password.setText("sandi-pengganti-9")
    page.reset_confirm.setText("sandi-pengganti-9")
    page.reset_button.click()
    assert OFFICER[0] in page.message.text()
    session.unlock(secure_path, OFFICER[0], "sandi-pengganti-9").close()
    with pytest.raises(BpjsFieldError):
        session.unlock(secure_path, OFFICER[0], OFFICER[1])


def test_an_account_from_the_branch_server_says_so(page, secure_path):
    from bpjs_field.security.keys import KeyFile, make_branch_login

    from .conftest import FAST_KDF
    store = page.executor.call(lambda s: s)
    with KeyFile.editing(secure_path) as keyfile:
        keyfile.add_branch_account(store.key, "KC-0600", "officer",
                                   make_branch_login("sandi-cabang-1", FAST_KDF))
    page.refresh()
    sources = {page.table.item(r, 0).text(): page.table.item(r, 3).text()
                  for r in range(page.table.rowCount())}
    assert sources == {SUPERVISOR[0]: "Laptop", OFFICER[0]: "Laptop", "KC-0600": "Branch"}
    assert page.table.horizontalHeaderItem(3).text() == "Password"
    assert "branch password" in page.table.horizontalHeaderItem(3).toolTip()

"""The registration form asks, optionally, what downstream registration needs: mother's
maiden name, No. KK and heir; a bad No. KK is shown under its field and nothing is saved;
left empty, the registration saves as before; typed, they reach the person."""

from __future__ import annotations

from gui_helpers import type_text

NIK = "3216094512880001"


def fill_basics(qtbot, form):
    type_text(qtbot, form.widgets["nik"], NIK)
    type_text(qtbot, form.widgets["full_name"], "Siti Aminah")
    type_text(qtbot, form.widgets["phone"], "081234567890")
    form.consent.setChecked(True)


def test_downstream_fields_on_the_registration_form(qtbot, store, officer, make_window):
    window = make_window()
    window.show_page("registration")
    page = window.registration
    form = page.form
    fill_basics(qtbot, form)
    assert not form.boxes["kk_no"].isVisible()  # folded away, out of the Enter path
    form.more.click()
    assert form.boxes["kk_no"].isVisible() and form.widgets["mother_name"].hasFocus()
    type_text(qtbot, form.widgets["kk_no"], "3216 0901 0123")
    draft = form.values()
    assert draft["kk_no"] == "3216 0901 0123"  # in the draft like every other field
    page.save()
    assert store.people.count() == 0
    assert "16 angka" in form.boxes["kk_no"].message.text()
    form.widgets["kk_no"].clear()
    type_text(qtbot, form.widgets["kk_no"], "3216090101230001")
    type_text(qtbot, form.widgets["mother_name"], "Rukmini")
    type_text(qtbot, form.widgets["heir_name"], "Budi")
    form.widgets["heir_relation"].setCurrentIndex(form.widgets["heir_relation"].findData("anak"))
    page.save()
    qtbot.waitUntil(lambda: store.people.count() == 1)
    person = store.query_one("SELECT * FROM people")
    assert (person["kk_no"], person["mother_name"], person["heir_name"],
            person["heir_relation"]) == ("3216090101230001", "Rukmini", "Budi", "anak")
    assert form.widgets["kk_no"].text() == ""  # the form is cleared for the next person
    assert not form.more.isChecked()
    form.set_values(draft)  # a draft holding such a field opens the fold
    assert form.more.isChecked() and form.widgets["kk_no"].text() == "3216 0901 0123"

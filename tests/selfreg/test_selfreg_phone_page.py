"""The phone page in a real browser (Debian's chromium, headless, a phone's viewport): filled
in, every invalid input answered next to its field, the QR produced; what the QR holds is
the form, sealed to the event's key, and opens at the desk."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest

from bpjs_field.domain.contribution import bpu_contribution
from bpjs_field.domain.formatting import format_rupiah, today_wib
from bpjs_field.domain.nik import parse_nik
from bpjs_field.domain.phone import normalize_phone
from bpjs_field.errors import ValidationError
from bpjs_field.selfreg.page import build_page
from bpjs_field.selfreg.sealed import is_prereg

NIK = "3216094108880001"  # a woman born 1 August 1988, kecamatan 32.16.09


def typed(driver, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    box = driver.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(text)
    driver.execute_script("arguments[0].blur()", box)


def choose(driver, element_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element(By.ID, element_id)).select_by_value(value)


def message(driver, name: str) -> str:
    from selenium.webdriver.common.by import By
    return driver.find_element(By.ID, f"m-{name}").text


def fill_valid(driver) -> None:
    from selenium.webdriver.common.by import By
    typed(driver, "nik", NIK)
    typed(driver, "full_name", "Siti Aminah")
    typed(driver, "phone", "0812-3456-7890")
    typed(driver, "address", "Jl. Melati No. 5 RT 02/RW 03")
    choose(driver, "occupation", "pedagang")
    choose(driver, "declared_income", "2000000")
    driver.find_element(By.ID, "with_jht").click()
    choose(driver, "months_paid", "3")
    driver.find_element(By.ID, "consent").click()


def qr_text_from_screen(driver) -> str:
    """Decode the QR image the page drew (as a scanner would see it)."""
    import zxingcpp
    from PIL import Image
    from selenium.webdriver.common.by import By
    src = driver.find_element(By.CSS_SELECTOR, "#qr img").get_attribute("src")
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("L")
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR found in the page's image"
    return found[0].text


def test_the_page_is_small_self_contained_and_bahasa_first(keys):
    page = build_page(keys.public, keys.key_id, title="Senam").decode("utf-8")
    assert len(page.encode("utf-8")) < 150 * 1024
    assert 'lang="id"' in page
    for outside in ("<script src", "<link rel=\"stylesheet", "url(", "@import", "<img src=\"http"):
        assert outside not in page


def test_fill_in_on_a_phone_errors_answered_and_qr_made(phone, phone_server, keys, book, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    phone.get(phone_server.url)
    assert "Daftar BPJS Ketenagakerjaan" in phone.find_element(By.TAG_NAME, "h1").text
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390

    # Invalid inputs: each answered under its field with the app's own message.
    typed(phone, "nik", "32160941088")
    assert message(phone, "nik") == "NIK harus 16 angka, yang diketik 11 angka."
    typed(phone, "nik", "9916094108880001")
    assert message(phone, "nik") == "Kode provinsi 99 tidak dikenal; dua angka pertama NIK salah."
    typed(phone, "nik", "3216093213880001")
    with pytest.raises(ValidationError) as desk:
        parse_nik("3216093213880001")
    assert message(phone, "nik") == desk.value.message("id")
    typed(phone, "full_name", "Siti 4minah")
    assert message(phone, "full_name") == "Nama tidak boleh berisi angka."
    typed(phone, "phone", "021-555-1234")
    with pytest.raises(ValidationError) as desk_phone:
        normalize_phone("021-555-1234")
    assert message(phone, "phone") == desk_phone.value.message("id")
    phone.find_element(By.ID, "make").click()  # nothing made while anything is wrong
    assert phone.find_element(By.ID, "top-error").is_displayed()
    assert not phone.find_elements(By.CSS_SELECTOR, "#qr img")
    assert "persetujuan" in message(phone, "consent").lower()

    # English on demand, the typed values kept.
    phone.find_element(By.ID, "lang-en").click()
    assert "registration" in phone.find_element(By.TAG_NAME, "h1").text
    assert phone.find_element(By.ID, "full_name").get_attribute("value") == "Siti 4minah"
    phone.find_element(By.ID, "lang-id").click()

    fill_valid(phone)
    assert phone.find_element(By.ID, "birth_date").get_attribute("value") == "01-08-1988"
    assert phone.find_element(By.ID, "district_code").get_attribute("value") == "321609"
    for name in ("nik", "full_name", "phone"):
        assert message(phone, name) == ""
    expected = bpu_contribution(2000000, with_jht=True, period=today_wib(), sector="perdagangan")
    assert phone.find_element(By.ID, "fee-amount").text == format_rupiah(expected.total)
    from bpjs_field.domain.plan import bpu_plan
    plan = bpu_plan(2000000, with_jht=True, start=today_wib(), months=3, sector="perdagangan")
    assert phone.find_element(By.ID, "fee-total").text.endswith(format_rupiah(plan.total))
    phone.find_element(By.ID, "make").click()
    WebDriverWait(phone, 10).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, "#qr img")))
    assert phone.save_screenshot(str(tmp_path / "qr.png"))
    text = qr_text_from_screen(phone)
    assert is_prereg(text) and NIK not in text and "Siti" not in text
    opened = keys.open(text)
    assert opened["f"]["nik"] == NIK and opened["f"]["declared_income"] == 2000000
    assert opened["f"]["months_paid"] == 3 and opened["f"]["with_jht"] is True
    assert keys.check_ticket(opened["t"], today_wib())
    assert book.counts() == {"waiting": 1, "confirmed": 0}
    # Nothing was fetched but the page itself and the ticket, all from the hub.
    fetched = phone.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert fetched and all(url.startswith(phone_server.url) for url in fetched), fetched
    short = phone.find_element(By.ID, "short").text
    assert short.replace("-", "") == opened["t"][:8]

    # "Ubah data": the values come back; a QR made again carries the new values and the
    # same ticket (one participant, one waiting count).
    phone.find_element(By.ID, "edit").click()
    assert phone.find_element(By.ID, "full_name").get_attribute("value") == "Siti Aminah"
    typed(phone, "full_name", "Siti Aminah Lestari")
    phone.find_element(By.ID, "make").click()
    WebDriverWait(phone, 10).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, "#qr img")))
    again = keys.open(qr_text_from_screen(phone))
    assert again["f"]["full_name"] == "Siti Aminah Lestari" and again["t"] == opened["t"]
    assert book.counts() == {"waiting": 1, "confirmed": 0}


def nik_cases() -> list[str]:
    import random
    rng = random.Random(19)
    cases = ["", "abc", "3216-0941-0888-0001", "3216 0941 0888 0001", "321609410888000",
             "3216094108880000", "9916094108880001", "3200094108880001", "3216004108880001",
             "3216097208880001", "3216090013880001", "3216092902010001", "3216096902000001",
             "3216093102880001", "3216090101990001", f"32160901 01{today_wib().year % 100 + 1:02d}0001",
             "1171010101900001", "3216990101900001", "3216091234567890", "３２１６０９４１０８８８０００１"]
    for _ in range(300):
        digits = [rng.choice("0123456789") for _ in range(16)]
        nik = "".join(digits)
        if rng.random() < 0.7:  # mostly plausible: a known province, a real-looking date
            nik = rng.choice(["32", "31", "11", "36"]) + nik[2:6] + f"{rng.randint(1, 71):02d}" + \
                f"{rng.randint(0, 13):02d}" + nik[10:]
        cases.append(nik)
    return cases


PHONES = ["", "0812-3456-7890", "+62 812 3456 7890", "6281234567890", "+62 0812 3456 7890",
          "021-555-1234", "(021) 5551234", "0812", "08123456789012345", "+1 415 555 0100",
          "0812.3456.7890", "0812 3456 78a0", "0899-1234-5678", "0851-2345-6789", "62 21 5551234",
          "0800-123-4567", "0811-111", "+44 7700 900123", "081234567", "0822 1234 5678 9"]
NAMES = ["", "Siti Aminah", "Ma'ruf Amin", "Hj. Siti Nur'aini, S.Pd.", "Ni Luh Putu Ayu-Sari",
         "Agus 2", "R@hmat", "...", "  Dewi   Lestari  ", "O’Brien", "A" * 101, "Joko_Widodo"]


def test_the_pages_checks_answer_as_the_core_does(phone, phone_server):
    """The page's NIK, phone and name checks against bpjs_field.domain, case by case."""
    from bpjs_field.domain.names import normalize_name
    phone.get(phone_server.url)

    def core(fn, text):
        try:
            value = fn(text)
        except ValidationError as exc:
            return exc.code
        return value

    niks = nik_cases()
    page_niks = phone.execute_script(
        "return arguments[0].map(function (n) { var r = PRAREG.parseNik(n);"
        " return r.error ? r.error[0] : [r.birth, r.sex]; })", niks)
    for nik, on_page in zip(niks, page_niks):
        expected = core(lambda t: parse_nik(t), nik)
        if not isinstance(expected, str):
            expected = [expected.birth_date.isoformat(), expected.sex]
        assert on_page == expected, nik
    page_phones = phone.execute_script(
        "return arguments[0].map(function (p) { var r = PRAREG.checkPhone(p); return r ? r[0] : 'ok'; })",
        PHONES)
    for number, on_page in zip(PHONES, page_phones):
        expected = core(normalize_phone, number)
        assert on_page == (expected if expected.startswith("phone.") else "ok"), number
    page_names = phone.execute_script(
        "return arguments[0].map(function (p) { var r = PRAREG.checkName(p); return r ? r[0] : 'ok'; })",
        NAMES)
    for name, on_page in zip(NAMES, page_names):
        expected = core(normalize_name, name)
        assert on_page == (expected if expected.startswith("name.") else "ok"), name


def test_the_phones_draft_survives_a_reload_today_and_is_erased_after_the_day(phone, phone_server):
    from selenium.webdriver.common.by import By
    phone.get(phone_server.url)
    typed(phone, "full_name", "Siti Aminah")
    typed(phone, "nik", NIK)
    phone.refresh()  # a reload in the queue loses nothing
    assert phone.find_element(By.ID, "full_name").get_attribute("value") == "Siti Aminah"
    assert not phone.find_element(By.ID, "consent").is_selected()  # consent is asked again
    # A draft of an earlier day is erased when the page opens.
    phone.execute_script("var d = JSON.parse(localStorage.getItem('bpjs-prereg'));"
                         "d.day = '2000-01-01'; localStorage.setItem('bpjs-prereg', JSON.stringify(d));")
    phone.refresh()
    assert phone.find_element(By.ID, "full_name").get_attribute("value") == ""
    assert phone.execute_script("return localStorage.getItem('bpjs-prereg')") is None
    # *Selesai* erases it at once.
    fill_valid(phone)
    phone.find_element(By.ID, "make").click()
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(phone, 10).until(expected_conditions.element_to_be_clickable((By.ID, "done")))
    phone.find_element(By.ID, "done").click()
    WebDriverWait(phone, 10).until(expected_conditions.presence_of_element_located((By.ID, "nik")))
    assert phone.execute_script("return localStorage.getItem('bpjs-prereg')") is None
    assert phone.find_element(By.ID, "nik").get_attribute("value") == ""


def test_one_thumb_targets_and_one_column_at_a_phones_width(phone, phone_server):
    phone.get(phone_server.url)
    sizes = phone.execute_script(
        "var out = [], els = document.querySelectorAll('input, select, textarea, button');"
        "for (var i = 0; i < els.length; i++) { var r = els[i].getBoundingClientRect();"
        " out.push([els[i].id || els[i].tagName, r.width, r.height, r.right]); } return out;")
    assert len(sizes) >= 12
    for name, width, height, right in sizes:
        assert height >= 28 and width >= 28, name  # checkboxes 28 px, the rest 48 px
        assert right <= 390, name  # nothing sideways off the screen
    fields = [s for s in sizes if s[0] in ("nik", "full_name", "phone", "declared_income")]
    assert all(h >= 48 for _, _, h, _ in fields)

"""The branch's report on the server equals the sum of the laptops' reports after sync, by
segment, officer and event; every laptop then shows the same; the read-only page shows it
to a supervisor in a real headless chromium and refuses an officer."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bpjs_field.domain.followup import KPJ, PAID, STOPPED, StatusChange
from bpjs_field.domain.formatting import today_wib
from bpjs_field.reporting import funnel
from bpjs_field.server.db import ServerDatabase
from bpjs_field.server.report import server_report
from bpjs_field.store.followup import set_status
from harness import PASSWORD, run_cli

TODAY = today_wib()
YEAR = dict(start=date(TODAY.year, 1, 1), end=TODAY)


def figures(report):
    return {r.key: (r.attended, r.registered, r.kpj, r.paid, r.stopped, r.monthly,
                    r.first_payments) for r in report.rows if r.registered or r.attended}


def summed(*reports):
    out: dict = {}
    for report in reports:
        for key, values in figures(report).items():
            old = out.get(key)
            out[key] = values if old is None else tuple(
                None if a is None else a + b for a, b in zip(old, values))
    return out


def fill(laptop, numbers, kpj_base):
    laptop.event()
    regs = [laptop.register(i, check_in=i % 2 == 0).registration for i in numbers]
    set_status(laptop.store, regs[0]["id"], StatusChange(KPJ, kpj_no=f"{kpj_base + 1:011d}"))
    set_status(laptop.store, regs[1]["id"], StatusChange(KPJ, kpj_no=f"{kpj_base + 2:011d}"))
    set_status(laptop.store, regs[1]["id"], StatusChange(PAID, paid_months=3))
    set_status(laptop.store, regs[2]["id"], StatusChange(STOPPED, reason="pindah kota"))


@pytest.fixture
def synced(server, database_url, laptops):
    a, b = laptops(2)
    a.enroll(server.url, "KC-0421")
    b.enroll(server.url, "KC-0422")
    fill(a, range(9500, 9510), 70000000000)
    fill(b, range(9600, 9606), 80000000000)
    before = {by: (funnel.build(a.store, by=by, **YEAR), funnel.build(b.store, by=by, **YEAR))
              for by in ("segment", "officer", "event")}
    for laptop in (a, b, a):
        laptop.sync()
    return a, b, before


def test_server_report_is_the_sum_of_the_laptops(synced, database_url):
    a, b, before = synced
    db = ServerDatabase(database_url)
    try:
        for by, (on_a, on_b) in before.items():
            on_server = server_report(db, by=by, **YEAR)
            assert figures(on_server) == summed(on_a, on_b), by
            for laptop in (a, b):  # after sync every laptop holds the branch's figures
                assert figures(funnel.build(laptop.store, by=by, **YEAR)) == figures(on_server)
        total = server_report(db, **YEAR).total
        assert (total.registered, total.kpj, total.paid, total.stopped) == (16, 4, 2, 2)
        assert total.attended == 8
    finally:
        db.close()
    done = run_cli("server-report", "--database-url", database_url, "--json", "--by", "officer")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"]["registered"] == 16
    xlsx = a.path.parent / "cabang.xlsx"
    done = run_cli("server-export", "registrations", "--database-url", database_url,
                   "--out", str(xlsx))
    assert done.returncode == 0 and "16 baris" in done.stdout, done.stderr
    from openpyxl import load_workbook
    rows = list(load_workbook(xlsx).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 16 and all("******" in r[6] for r in rows)  # NIK masked
    assert sorted(r[11] for r in rows if r[11]) == sorted(
        [f"{70000000000 + 1:011d}", f"{70000000000 + 2:011d}", f"{80000000000 + 1:011d}",
         f"{80000000000 + 2:011d}"])


def test_report_page_in_a_real_browser(synced, server, database_url):
    from needs import need_tool
    need_tool("chromedriver", "apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def log_in(employee_no: str) -> None:
        """Type and submit the login form, then wait for the next page (the password is
        checked with argon2 on the server: under load that takes a while)."""
        driver.find_element(By.ID, "employee_no").send_keys(employee_no)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        # The next page is a new document: a mark set on this one is gone there.  (Waiting
        # for the button to go stale asks chromium about a node of a document being torn
        # down, which it sometimes answers with an inspector error instead.)
        driver.execute_script("window.bpjsBeforeLogin = true;")
        driver.find_element(By.ID, "login").click()
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "return window.bpjsBeforeLogin === undefined && document.readyState === 'complete';"))
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{server.url}/laporan")
        assert driver.find_elements(By.ID, "password")  # not logged in: the form
        # An officer's account is refused.
        log_in("KC-0430")
        assert "bukan supervisor" in driver.find_element(By.ID, "error").text
        log_in("KC-0421")
        table = driver.find_element(By.ID, "report")
        cells = [[c.text for c in row.find_elements(By.TAG_NAME, "td")]
                 for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert cells[-1][:6] == ["Total", "8", "16", "4", "2", "2"]
        assert any(row[0] == "Bukan Penerima Upah (BPU)" and row[6] == "17.000" for row in cells)
        # Another breakdown through the page's own form.
        driver.get(f"{server.url}/laporan?by=officer")
        names = [r.find_element(By.TAG_NAME, "td").text for r in
                 driver.find_elements(By.CSS_SELECTOR, "#report tbody tr")]
        assert names[-1] == "Total"
        assert {"Petugas KC-0421", "Petugas KC-0422"} <= set(names)
        # A tampered cookie is no session.
        cookie = driver.get_cookie("bpjs_laporan")
        driver.delete_all_cookies()
        driver.add_cookie({"name": "bpjs_laporan", "value": cookie["value"][:-2] + "00"})
        driver.get(f"{server.url}/laporan")
        assert driver.find_elements(By.ID, "password")
    finally:
        driver.quit()

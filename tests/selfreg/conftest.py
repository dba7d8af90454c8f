"""Fixtures of self-registration: the event's keys, the phone server on loopback, a headless
chromium at a phone's viewport."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "ui"))  # gui_helpers

from bpjs_field.selfreg.sealed import EventKeys
from bpjs_field.selfreg.server import PhoneServer, RateLimiter, TicketBook, phone_app
from bpjs_field.server.db import ServerDatabase


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def keys():
    return EventKeys.new()


@pytest.fixture
def book(tmp_path, keys):
    db = ServerDatabase(f"sqlite:///{(tmp_path / 'hub.sqlite3').as_posix()}")
    return TicketBook(db, keys)


@pytest.fixture
def phone_server(book):
    server = PhoneServer(phone_app(book, title="Senam Sehat Cikarang", limiter=RateLimiter()),
                         "127.0.0.1", free_port()).start()
    yield server
    server.stop()


def chromium(width: int = 390, height: int = 844, throttle: dict | None = None,
             folder: Path | None = None):
    """Headless chromium at a phone's viewport; with `folder`, its profile and temporary
    files go there (removed with it)."""
    import os
    from needs import need_tool
    need_tool("chromedriver", "apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0},
        "userAgent": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/120.0 Mobile Safari/537.36"})
    options.binary_location = "/usr/bin/chromium"
    env = None
    if folder is not None:
        options.add_argument(f"--user-data-dir={folder / 'profile'}")
        env = {**os.environ, "TMPDIR": str(folder)}
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver", env=env), options=options)
    if throttle:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, **throttle})
    return driver


@pytest.fixture
def phone():
    """Its own short temporary folder (chromium's sockets there must stay under the 108
    characters of a socket path, which pytest's tmp_path can exceed), removed after."""
    import shutil
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="chromium-"))
    driver = chromium(folder=folder)
    yield driver
    driver.quit()
    shutil.rmtree(folder, ignore_errors=True)


def _fixtures_of(suite: str):
    """Another suite's fixtures (its conftest.py), shared here: `ui` (a main window over
    the test's database), `server` (laptops, a branch server's template database)."""
    import importlib.util
    path = Path(__file__).parents[1] / suite / "conftest.py"
    spec = importlib.util.spec_from_file_location(f"selfreg_{suite}_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_gui = _fixtures_of("ui")
make_window = _gui.make_window
active_event = _gui.active_event
translations = _gui.translations
_data_dir = _gui._data_dir

_server = _fixtures_of("server")
laptops = _server.laptops
sqlite_template = _server.sqlite_template

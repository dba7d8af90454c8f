"""Work off the GUI thread answers the widget that asked, on the GUI thread, and only while
that widget exists: a window closed or a page left while a worker runs raises nothing in
the worker, and a `None` answer arrives as any other (ui/background.py)."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from ui.background import run_in_background


@pytest.fixture
def thread_errors(monkeypatch):
    """Exceptions raised in any worker thread during the test."""
    raised: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    return raised


def test_answers_reach_a_live_owner_on_the_gui_thread_none_included(qtbot, thread_errors):
    owner = QObject()
    answers: list = []
    threads: list = []

    def done(result):
        answers.append(result)
        threads.append(threading.current_thread() is threading.main_thread())

    run_in_background(owner, lambda: None, done, answers.append)
    run_in_background(owner, lambda: 1 / 0, done, answers.append)
    qtbot.waitUntil(lambda: len(answers) == 2)
    assert None in answers and any(isinstance(a, ZeroDivisionError) for a in answers)
    assert threads == [True]
    assert thread_errors == []


def test_an_owner_deleted_while_the_work_runs_gets_nothing_and_nothing_raises(qtbot, thread_errors):
    release, finished = threading.Event(), threading.Event()
    owner = QObject()
    answers: list = []

    def work():
        release.wait(5)
        finished.set()
        return "late"

    run_in_background(owner, work, answers.append, answers.append)
    shiboken6.delete(owner)
    release.set()
    assert finished.wait(5)
    qtbot.wait(100)  # the relay's delivery on the GUI thread
    assert answers == [] and thread_errors == []


def test_the_home_page_counts_line_closed_while_it_asks_raises_nothing(qtbot, db_path, store,
                                                                      thread_errors):
    """Not joined to a hub: the line stays empty and asks again later.  Deleted while its
    question runs (the window closed): no "Signal source has been deleted" in the worker."""
    from ui.selfreg.panel import PreregCounts

    line = PreregCounts(db_path=db_path)
    qtbot.addWidget(line)
    line.refresh()
    qtbot.waitUntil(lambda: not line._busy)
    assert line.text() == ""
    gone = PreregCounts(db_path=db_path)
    gone.refresh()
    shiboken6.delete(gone)
    qtbot.wait(1500)  # long enough for its worker to open the database and answer
    assert thread_errors == []
    assert isinstance(line, QLabel) and not line._busy

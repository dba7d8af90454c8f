"""The look: readable in bright daylight on a 1366×768 laptop.

Dark text on white, a dark navigation bar, 12 pt body text, a thick orange
focus frame so the officer always sees where typing goes, and the check-in
answer colours (green, amber, red) chosen for contrast above 4.5:1 with white
text.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel

GREEN = "#0b6b3a"
AMBER = "#8a4b00"
RED = "#a4161a"
BLUE = "#0b3d91"
NAV = "#10324f"
FOCUS = "#f28c00"
WARN_TEXT = "#7a4100"
ERROR_TEXT = "#b00020"

STYLE = f"""
QWidget {{ color: #111; }}
QMainWindow, QDialog, QWidget#registrationForm {{ background: #ffffff; }}
QListWidget#navigation {{
    background: {NAV}; color: #ffffff; border: none; font-size: 13pt; padding-top: 6px;
}}
QListWidget#navigation::item {{ padding: 10px 14px; }}
QListWidget#navigation::item:selected {{ background: #ffffff; color: {NAV}; font-weight: bold; }}
QLineEdit, QComboBox, QSpinBox, QDateTimeEdit, QPlainTextEdit {{
    border: 1px solid #6b6b6b; border-radius: 3px; padding: 3px 5px; background: #ffffff;
    min-height: 24px;
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateTimeEdit:focus, QPlainTextEdit:focus,
QCheckBox:focus {{ border: 2px solid {FOCUS}; }}
QLineEdit:read-only {{ background: #eeeeee; }}
QPushButton {{
    border: 1px solid #444; border-radius: 4px; padding: 6px 14px; background: #f3f3f3;
}}
QPushButton:focus {{ border: 2px solid {FOCUS}; }}
QPushButton:disabled {{ color: #777; background: #e0e0e0; border-color: #aaa; }}
QPushButton[primary="true"] {{ background: {BLUE}; color: #ffffff; font-weight: bold; }}
QPushButton[primary="true"]:disabled {{ background: #9aa7bd; color: #f0f0f0; }}
QLabel[role="error"] {{ color: {ERROR_TEXT}; font-weight: bold; }}
QLabel[role="warning"] {{ color: {WARN_TEXT}; }}
QLabel[role="hint"] {{ color: #333; }}
QLabel[role="title"] {{ font-size: 17pt; font-weight: bold; color: {NAV}; }}
QLabel[role="subtitle"] {{ font-size: 13pt; font-weight: bold; color: {NAV}; }}
QFrame[role="card"] {{ border: 1px solid #b8c2cc; border-radius: 6px; background: #f7f9fb; }}
QFrame[role="banner"] {{ border: 2px solid {AMBER}; border-radius: 6px; background: #fff4e0; }}
QFrame[role="success"] {{ border: 2px solid {GREEN}; border-radius: 6px; background: #e7f5ec; }}
QHeaderView::section {{ background: #e4e9ee; padding: 4px; border: none; font-weight: bold; }}
QTableView {{ gridline-color: #d0d0d0; selection-background-color: {BLUE};
              selection-color: #ffffff; alternate-background-color: #f4f6f8; }}
QStatusBar {{ background: #e4e9ee; }}
QProgressBar {{ border: 1px solid #6b6b6b; border-radius: 3px; text-align: center; height: 18px; }}
QProgressBar::chunk {{ background: {GREEN}; }}
"""


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(12)
    app.setFont(font)
    app.setStyleSheet(STYLE)


def set_role(widget, role: str) -> None:
    """Set the style role of a widget and make Qt re-read its style."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def add_heading(layout, title: str, intro: str | None = None) -> QLabel:
    """A page's or dialog's title (and an optional wrapped introduction) at the top of `layout`."""
    label = QLabel(title)
    set_role(label, "title")
    layout.addWidget(label)
    if intro:
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
    return label

"""Fixtures for the follow-up and report tests: a store with people registered at known
dates (the report's and follow-up lists' arithmetic is checked against these)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
sys.path.insert(0, str(Path(__file__).parent))

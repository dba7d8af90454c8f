"""What the suite needs from the machine, and what happens when it is missing.

In CI (`CI=true`) a missing service or tool is a failure: a green run must mean every test
ran.  Locally the test is skipped with the command that installs what is missing."""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(what: str, install: str) -> None:
    """Stop the test: a failure in CI, a skip that says how to install `what` elsewhere."""
    message = f"{what} missing; install it with: {install}"
    if in_ci():
        pytest.fail(f"CI needs {message}", pytrace=False)
    pytest.skip(message)


def need_tool(tool: str, install: str) -> str:
    """The path of a command-line tool, or `missing()`."""
    path = shutil.which(tool)
    if path is None:
        missing(f"the `{tool}` command", install)
    return path

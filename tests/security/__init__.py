"""Security tests (package, so the tests share conftest helpers)."""

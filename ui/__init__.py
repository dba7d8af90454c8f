"""The PySide6 GUI of bpjs_field: the only package that imports Qt."""

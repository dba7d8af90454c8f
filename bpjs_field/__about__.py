"""Version of the bpjs_field package (read by the build backend and the installer spec)."""

__version__ = "0.1.0"

"""PyInstaller entry point of the command-line executable (`bpjs-field`)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A large partner list is checked in a second process started with "spawn"
    # (bpjs_field/import_pipeline.py): in the bundle that process is this executable again,
    # and this call makes it the worker instead of a second app (before the app's imports,
    # which the worker does not need).
    multiprocessing.freeze_support()
    from bpjs_field.cli import main
    sys.exit(main())

"""PyInstaller entry point of the windowed executable (`bpjs-field-gui`, no console window)."""

import sys

from bpjs_field.cli import main

if __name__ == "__main__":
    # The GUI executable accepts the same options as the command line (e.g. --db);
    # with no command it opens the main window.
    sys.exit(main())

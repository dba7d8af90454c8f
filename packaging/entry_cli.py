"""PyInstaller entry point of the command-line executable (`bpjs-field`)."""

import sys

from bpjs_field.cli import main

if __name__ == "__main__":
    sys.exit(main())

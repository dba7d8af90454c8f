"""`python -m bpjs_field` is the `bpjs-field` command."""

import sys

from bpjs_field.cli import main

sys.exit(main())

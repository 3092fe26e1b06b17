"""``python -m nakpump.cli``: the command line."""

from . import entry

entry()

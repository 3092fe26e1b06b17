"""``python -m nakpump`` and the ``nakpump`` console script.

Ctrl-C while the command line itself is being imported exits quietly (130,
one line): nothing has been computed yet.  From then on ``nakpump.cli``
handles it (what was computed is written)."""

import os
import signal


def _before_main(signum, frame):
    os.write(2, b"nakpump: interrupted\n")
    os._exit(130)


def entry() -> None:
    signal.signal(signal.SIGINT, _before_main)
    from .cli import entry as run_cli

    signal.signal(signal.SIGINT, signal.default_int_handler)
    run_cli()


if __name__ == "__main__":
    entry()

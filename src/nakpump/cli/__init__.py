"""Command-line interface: a thin layer over the Python API.

    nakpump run [SCENARIO] [--cell tissue|pump-leak] [--set NAME=VALUE ...] [--duration MS]
                [--out FILE.csv|FILE.nc] [--plot FILE.png]
    nakpump scenarios | presets | info SCENARIO | ledger SCENARIO | validate | ...

What you type is checked first (before anything heavy is imported or
built): errors exit with status 2 and one line on stderr.  A run that
fails or is interrupted (Ctrl-C) writes what it computed, says where, and
exits 1 or 130.  No command prints a traceback (``NAKPUMP_DEBUG=1`` shows
it for an internal error).
"""

from __future__ import annotations

import os
import signal
import sys

from .checks import UsageError, reject_repeats
from .parser import DEFAULT_SCENARIO, UNITS, build_parser

__all__ = ["main", "entry", "UsageError", "DEFAULT_SCENARIO", "UNITS"]


def _fail(message: str, code: int) -> int:
    print(f"nakpump: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        parser = build_parser()
        try:
            reject_repeats(argv)
        except UsageError as err:
            parser.print_usage(sys.stderr)
            return _fail(f"error: {err}", 2)
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help, --version, or argparse's own usage error (status 2)
            return int(done.code or 0)
        if args.command is None:
            parser.print_help()
            return 0
        args.argv = argv
        from ..errors import RunInterrupted, SolverError
        from .commands import COMMANDS

        try:
            return COMMANDS[args.command](args)
        except RunInterrupted as stop:
            return _fail(f"{stop}; nothing written", 130)
        except (UsageError, ValueError, KeyError, SolverError, OSError, RuntimeError) as err:
            msg = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
            return _fail(f"error: {(msg or type(err).__name__).splitlines()[0]}", 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as err:  # a bug: one line, the traceback on request
        if os.environ.get("NAKPUMP_DEBUG"):
            raise
        return _fail(f"internal error: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''} "
                     "(NAKPUMP_DEBUG=1 shows the traceback; please report it)", 1)


def entry() -> None:
    """The console script (and ``python -m nakpump.cli``): ``main()``, then
    exit with its status.  Once the work is done, a late Ctrl-C changes
    nothing: everything is written and the status stands."""
    try:
        code = main()
    except KeyboardInterrupt:  # the instant between main's own handler and its return
        code = 130
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == 130:
        # CPython may still end an interrupted process by re-raising SIGINT
        # at exit (when the interrupt passed through C code that ran Python
        # code); everything is written, so exit with the status we said.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)

"""What the command line checks before any heavy import or long run: the
options given once, the --set items, numbers, output paths.  Light: it
imports nothing but the standard library."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

__all__ = ["UsageError", "reject_repeats", "parse_sets", "check_output", "parse_number"]

SINGLE = ("--out", "--plot", "--duration", "--rtol", "--cell", "--scheduler", "--workers")
"""Options that may be given at most once."""


class UsageError(Exception):
    """Bad input from the command line."""


def reject_repeats(argv: list[str]) -> None:
    """A one-line UsageError when an option of ``SINGLE`` is given twice."""
    seen: set[str] = set()
    for arg in argv:
        if arg == "--":
            break
        name = arg.split("=", 1)[0]
        if name in SINGLE:
            if name in seen:
                raise UsageError(f"{name} is given twice; give it once")
            seen.add(name)


def parse_number(text: str, field: str, allowed: str) -> float:
    """``text`` as a finite float, or a one-line UsageError naming ``field``."""
    try:
        x = float(text)
    except ValueError:
        raise UsageError(f"{field}: {text!r} is not a number (allowed {allowed})") from None
    if not math.isfinite(x):
        raise UsageError(f"{field}: {text!r} is not finite (allowed {allowed})")
    return x


def parse_sets(items: list[str]) -> tuple[dict, dict, str | None]:
    """``--set NAME=VALUE`` items: (cell and mechanism values by dotted name,
    scenario options by name, the pump model or None).  Each name may appear
    once; values must be numbers (but ``pump.model`` and
    ``cell.electrode_ion``).  Ranges are checked against the cell later."""
    values: dict[str, object] = {}
    options: dict[str, float] = {}
    model = None
    seen: set[str] = set()
    for item in items:
        if "=" not in item:
            raise UsageError(f"--set {item!r}: expected NAME=VALUE, e.g. alpha1.density=1200")
        name, text = (part.strip() for part in item.split("=", 1))
        if "." not in name or not all(name.split(".", 1)):
            raise UsageError(f"--set {item!r}: NAME must be OWNER.PARAMETER (cell.K_o, alpha1.density, "
                             "scenario.frequency, pump.model)")
        if name in seen:
            raise UsageError(f"--set {name} is given twice; give it once")
        seen.add(name)
        if name == "pump.model":
            model = text
        elif name == "cell.electrode_ion" and not _is_number(text):
            values[name] = text
        elif name.startswith("scenario."):
            options[name.split(".", 1)[1]] = parse_number(text, f"--set {name}", "a number")
        else:
            values[name] = parse_number(text, f"--set {name}", "a number")
    return values, options, model


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_output(path: str | None, kinds: tuple[str, ...], flag: str) -> Path | None:
    """An output path that can be written: a known extension, not a folder,
    in an existing folder where a file can be created (tried now, before the
    run)."""
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() not in kinds:
        raise UsageError(f"{flag} {path}: unknown extension {p.suffix!r} (allowed {', '.join(kinds)})")
    if p.is_dir():
        raise UsageError(f"{flag} {path}: is a folder; give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: folder {str(parent)!r} does not exist")
    if p.exists() and not os.access(p, os.W_OK):
        raise UsageError(f"{flag} {path}: the file exists and cannot be overwritten")
    try:
        fd, probe = tempfile.mkstemp(dir=parent, prefix=".nakpump-probe-")
        os.close(fd)
        os.remove(probe)
    except OSError:
        raise UsageError(f"{flag} {path}: cannot create a file in folder {str(parent)!r}") from None
    return p

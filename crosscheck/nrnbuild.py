"""Building and loading NMODL mechanisms for the NEURON cross-checks and the
benchmark: one definition of the nrnivmodl build, the loader, and the
checked parameter setter.

``load(mod_dir, build_root, probe)`` compiles the .mod files of ``mod_dir``
into ``build_root/<hash of the sources>`` (in a temporary folder renamed when
complete, so an interrupted build is never used; older builds are removed)
unless that build exists, loads it, and returns ``neuron.h``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def mod_hash(mod_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(mod_dir.glob("*.mod")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def find_lib(folder: Path) -> Path | None:
    for pattern in ("*/libnrnmech.so", "*/.libs/libnrnmech.so", "*/libnrnmech.dylib",
                    "*/.libs/libnrnmech.dylib"):
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    return None


def nrnivmodl() -> str:
    beside = Path(sys.executable).parent / "nrnivmodl"
    if beside.exists():
        return str(beside)
    found = shutil.which("nrnivmodl")
    if not found:
        raise RuntimeError("nrnivmodl not found (beside the Python executable or on PATH)")
    return found


def build(mod_dir: Path, build_root: Path, force: bool = False) -> Path:
    """Compile ``mod_dir``'s .mod files into ``build_root/<hash>`` unless there
    already; returns that folder."""
    key = mod_hash(mod_dir)
    target = build_root / key
    if not force and target.is_dir() and find_lib(target):
        return target
    build_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"tmp-{key}-", dir=build_root))
    try:
        proc = subprocess.run([nrnivmodl(), str(mod_dir)], cwd=tmp, capture_output=True, text=True)
        if proc.returncode != 0 or not find_lib(tmp):
            raise RuntimeError(f"nrnivmodl failed in {tmp}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
        (tmp / "mod_hash.txt").write_text(key + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in build_root.iterdir():
        if old.is_dir() and old.name != key and not old.name.startswith("tmp-"):
            shutil.rmtree(old, ignore_errors=True)
    return target


def load(mod_dir: Path, build_root: Path, probe: str):
    """``neuron.h`` with the mechanisms of ``mod_dir`` loaded (built if needed);
    ``probe`` names one of them, to tell whether they are loaded already."""
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    folder = build(mod_dir, build_root)
    import neuron
    from neuron import h
    if not hasattr(h, probe):
        if not neuron.load_mechanisms(str(folder), warn_if_already_loaded=False):
            raise RuntimeError(f"could not load the mechanisms built in {folder}")
    h.load_file("stdrun.hoc")
    return h


def set_checked(obj, name: str, value: float) -> None:
    """Set ``obj.name = value`` and check that NEURON stored exactly that double
    (NEURON truncates .mod PARAMETER defaults, so every value is set and read back)."""
    setattr(obj, name, value)
    back = getattr(obj, name)
    if back != value:
        raise AssertionError(f"NEURON stored {name} = {back!r}, asked for {value!r}")

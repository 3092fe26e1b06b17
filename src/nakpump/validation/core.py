"""The report's building blocks: a check, a difference, finding the
cross-check code of a source checkout, NEURON rows, and the markdown report."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Check:
    """One comparison: ``value`` against ``expected`` within ``tol`` (absolute),
    or, when ``lo`` and ``hi`` are given, within that published range."""

    preset: str
    quantity: str
    unit: str
    value: float
    expected: float | None
    tol: float
    source: str
    lo: float | None = None
    hi: float | None = None

    @property
    def status(self) -> str:
        if self.expected is None or self.value is None or self.value != self.value:
            return "skipped" if self.expected is None else "FAIL"
        if self.lo is not None and self.hi is not None:
            return "pass" if self.lo <= self.value <= self.hi else "FAIL"
        return "pass" if abs(self.value - self.expected) <= self.tol else "FAIL"

    @property
    def tolerance_text(self) -> str:
        return f"{self.lo:.3g} to {self.hi:.3g}" if self.lo is not None else f"{self.tol:.3g}"


def crosscheck_module(stem: str):
    """The module ``crosscheck/<stem>.py`` of a source checkout (from the working
    directory or beside the package), imported once as
    ``nakpump_crosscheck_<stem>``; None without one."""
    name = f"nakpump_crosscheck_{stem}"
    if name in sys.modules:
        return sys.modules[name]
    for root in (Path.cwd(), Path(__file__).resolve().parents[3]):
        path = root / "crosscheck" / f"{stem}.py"
        if path.exists():
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            return module
    return None


def _has_neuron() -> bool:
    try:
        import neuron  # noqa: F401
    except ImportError:
        return False
    return True


_TOL_BY_UNIT = {"ms": 1e-3, "mM": 1e-5, "": 0.0, "mV": 1e-3}
"""Tolerances of nakpump against NEURON (the same model, both at tight
tolerances): spike times 1e-3 ms, concentrations 1e-5 mM, counts exact."""


def _neuron_rows(preset: str, stem: str, label: str, **kwargs) -> list[Check]:
    """Rows from ``crosscheck/<stem>.validation_numbers()``: nakpump against NEURON."""
    module = crosscheck_module(stem)
    if module is None or not _has_neuron():
        why = "crosscheck/ not found" if module is None else "NEURON not installed"
        return [Check(preset, f"{label} (NEURON cross-check)", "", float("nan"), None, 0.0,
                      f"[NEURON] skipped: {why}")]
    rows = []
    for quantity, (ours, theirs, unit) in module.validation_numbers(**kwargs).items():
        rows.append(Check(preset, quantity, unit or "count", float(ours), float(theirs),
                          _TOL_BY_UNIT.get(unit, 1e-5), f"[NEURON] crosscheck/{stem}.py, {label}"))
    return rows


@dataclass
class Difference:
    """A number of a preset next to its paper's form of the model, where the
    preset departs from the paper by design; not a pass/fail check."""

    preset: str
    quantity: str
    unit: str
    ours: str
    paper: str
    source: str


def _fmt(x, fmt=".3g"):
    if x is None:
        return "none"
    if isinstance(x, tuple):
        return " - ".join(format(v, fmt) for v in x)
    return format(x, fmt)


def report(checks: list[Check], diffs: list[Difference] = ()) -> str:
    """Markdown: the table of ``checks`` with a one-line verdict, then the
    presets' departures from their papers (``diffs``), which are not checks."""
    n_fail = sum(c.status == "FAIL" for c in checks)
    n_pass = sum(c.status == "pass" for c in checks)
    n_skip = sum(c.status == "skipped" for c in checks)
    lines = ["# nakpump validation report", "",
             "Regenerate with `nakpump validate --out docs/validation.md` (from the source tree, so that "
             "the NEURON models and independent implementations in `crosscheck/` are found). Each "
             "preset's numbers next to its paper's, NEURON's and an independent implementation's; "
             "|nakpump - expected| must be within the tolerance.", "",
             f"**{n_pass} passed, {n_fail} failed, {n_skip} skipped**", "",
             "| preset | quantity | nakpump | expected | tolerance | source | status |",
             "|---|---|---:|---:|---:|---|---|"]
    for c in checks:
        exp = "n/a" if c.expected is None else f"{c.expected:.10g}"
        lines.append(f"| {c.preset} | {c.quantity} ({c.unit}) | {c.value:.10g} | {exp} | "
                     f"{c.tolerance_text} | {c.source} | {c.status} |")
    design = [d for d in diffs if d.preset != "neuron-in-tissue"]
    physiology = [d for d in diffs if d.preset == "neuron-in-tissue"]
    if physiology:
        lines += ["", "## Where the neuron in tissue and the literature disagree", "",
                  "Published physiology the default neuron does not meet, with the reason (see "
                  "docs/physiology.md); these are not checks.", "",
                  "| model | quantity | nakpump | published | why |", "|---|---|---:|---|---|"]
        for d in physiology:
            unit = f" ({d.unit})" if d.unit else ""
            lines.append(f"| {d.preset} | {d.quantity}{unit} | {d.ours} | {d.paper} | {d.source} |")
    if design:
        lines += ["", "## Where a preset departs from its paper, by design", "",
                  "nakpump's cells conserve every ion, the water and the membrane charge. Where a "
                  "paper's equations do not, the preset is a conservative variant, and its numbers "
                  "differ from the paper's form of the model. These rows put the two side by side; "
                  "they are not checks.", "",
                  "| preset | quantity | nakpump | paper's form | how the paper's form was run |",
                  "|---|---|---:|---:|---|"]
        for d in design:
            unit = f" ({d.unit})" if d.unit else ""
            lines.append(f"| {d.preset} | {d.quantity}{unit} | {d.ours} | {d.paper} | {d.source} |")
        lines += ["", DIFFERENCES_NOTE]
    return "\n".join(lines) + "\n"


DIFFERENCES_NOTE = """Why they differ.

- **cressman2009.** The paper leaves the pump's current out of the membrane equation, sets
  K_i = 158 - Na_i and holds Cl- fixed. With the pump's current in the membrane equation and
  nothing else changed, the paper's own model no longer bursts at 8 mM bath K+ (in brackets
  above): the electrogenic pump, up to about 4 uA/cm2 during a burst, hyperpolarises the cell
  out of it. The paper's form cannot simply be made conservative either: with its fixed-reversal
  Cl- current, a non-electrogenic pump's charge has nowhere to go and K_i drains away. nakpump's
  conservative variant (the pump in the membrane equation, K_i, Na_o and Cl- as states) bursts
  at 8 mM bath K+ in short, frequent bursts instead of the paper's seizure-like events about
  37 s apart. It reproduces the phenomenon (bath-K+-driven periodic bursting) but not the
  paper's period or K_o range.
- **wei2014.** The authors' code counts ions as amounts as nakpump does, but makes the pump,
  KCC2 and NKCC1 rates per cytosol volume and lets the membrane area grow with the volume (a
  sphere); nakpump keeps them per membrane area with a fixed area, and its impermeants make both
  sides electroneutral. Seizure-like events at 8.5 mM agree to a fraction of a second in period
  and to 0.1 mM in K_o. Spreading depression depends on the solver: the depolarised state is an
  unstable focus (growth about 0.6-0.9 per ms), and a stiff solver taking long steps (BDF in
  LSODA, Radau, or Rodas4 before nakpump bounded its steps by the growth rate) sits on it instead
  of leaving. The authors' form is therefore run at rtol 1e-10: with LSODA at 1e-8 it shows one
  episode in 180 s at 20 mM, at 1e-9 two and at 1e-10 three. nakpump (rtol 1e-8, the wei2014
  scenarios' default) starts episodes at 10.8, 60, 112 and 164 s at any rtol from 1e-8 to
  1e-10 (at its general default 1e-5 the returns come about 10 % late). The authors' form's
  episodes come about 58 s apart against nakpump's 52 s; we have not separated how much of that
  each of the three differences of form contributes."""

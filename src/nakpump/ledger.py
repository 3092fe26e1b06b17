"""The ledger of a run: where every ion and every ATP went.

For each ion: the amount inside (and outside) at the start and end, what
each mechanism moved across the membrane (or out of the extracellular
space), what the electrode and the protocol added, and the residual that
conservation says must be zero.  For ATP: what each pump used, what the
energy mechanism made net, and the residual of the ATP pool.

The moved amounts are exact running totals integrated by the solver with
the state (ledger quadratures, ``nakpump.system``), so the residuals are
round-off.  Amounts are in amol (1e-18 mol) per cell: mM*um per membrane
area times the membrane area in um2.
"""

from __future__ import annotations

import numpy as np

from .ions import ION_NAMES, N_IONS

AMOL_PER_MM_UM3 = 1.0
"""1 mM in 1 um3 is 1e-3 mol/L x 1e-15 L = 1e-18 mol = 1 amol."""


def ledger(result):
    """A pandas DataFrame with columns ``what`` (ion or ATP), ``item`` and
    ``amol`` (per cell) for ``result``; rows named ``residual ...`` must be
    zero to round-off.  Also on ``Result.ledger()``."""
    import pandas as pd

    system = result.system
    lay = system.layout
    area = system.cell.values["area"]
    Y = result.Y
    first, last = Y[0], Y[-1]
    rows = []

    def add(what, item, amount):
        rows.append((what, item, float(amount) * area * AMOL_PER_MM_UM3))

    q = {(mech, item): last[idx] - first[idx] for idx, mech, item, _ in lay.ledger}
    exchanged = {}
    for t0, ion, amount in result.meta.get("exchanged", []):
        if t0 > result.t[0]:  # a change at the first sample is already in the starting amount
            exchanged[ion] = exchanged.get(ion, 0.0) + amount
    for k, ion in enumerate(ION_NAMES):
        inside0, inside1 = first[1 + k], last[1 + k]
        add(ion, "inside at start", inside0)
        add(ion, "inside at end", inside1)
        moved_out = 0.0
        for (mech, item), amount in q.items():
            if item == ion and mech != "electrode" and _kind(system, mech) != "exchange":
                add(ion, f"moved out of the cell by {mech}", amount)
                moved_out += amount
        injected = q.get(("electrode", ion), 0.0)
        if ("electrode", ion) in q:
            add(ion, "put into the cell by the electrode", injected)
        add(ion, "residual inside (end - start + moved out - injected)",
            inside1 - inside0 + moved_out - injected)
        if system.closed:
            out0, out1 = first[1 + N_IONS + k], last[1 + N_IONS + k]
            add(ion, "outside at start", out0)
            add(ion, "outside at end", out1)
            cleared = 0.0
            for (mech, item), amount in q.items():
                if item == ion and _kind(system, mech) == "exchange":
                    add(ion, f"removed from the outside by {mech}", amount)
                    cleared += amount
            if ion in exchanged:
                add(ion, "put into the outside by concentration changes", exchanged[ion])
            add(ion, "residual outside (end - start - moved out + removed - put in)",
                out1 - out0 - moved_out + cleared - exchanged.get(ion, 0.0))
    used_total = 0.0
    for (mech, item), amount in q.items():
        if item == "ATP" and _kind(system, mech) == "transporter":
            add("ATP", f"used by {mech}", amount)
            used_total += amount
    for (mech, item), amount in q.items():
        if item == "ATP" and _kind(system, mech) == "exchange":
            add("ATP", f"used by {mech} (outside the cell's pool)", amount)
    for (mech, item), amount in q.items():
        if item == "ATP" and _kind(system, mech) == "metabolism":
            add("ATP", f"used net by {mech} (negative: made)", amount)
            used_total += amount
    if lay.i_met is not None:
        atp0, atp1 = first[lay.i_met], last[lay.i_met]
        add("ATP", "inside at start", atp0)
        add("ATP", "inside at end", atp1)
        add("ATP", "residual (end - start + used)", atp1 - atp0 + used_total)
    frame = pd.DataFrame(rows, columns=["what", "item", "amol"])
    frame.attrs["units"] = {"amol": "1e-18 mol per cell"}
    return frame


def _kind(system, mech: str) -> str:
    return system.cell.mechanism(mech).kind if system.cell.has(mech) else ""


def residuals(frame) -> np.ndarray:
    """The residual rows' amounts (amol)."""
    return frame.loc[frame["item"].str.startswith("residual"), "amol"].to_numpy()


def text(frame) -> str:
    """The ledger as aligned text, grouped by ion, amounts in amol per cell."""
    lines = ["ledger (amol = 1e-18 mol per cell; residuals must be round-off)"]
    width = max(len(i) for i in frame["item"])
    for what, group in frame.groupby("what", sort=False):
        lines.append(f"  {what}")
        for item, amount in zip(group["item"], group["amol"], strict=True):
            lines.append(f"    {item:<{width}}  {amount:14.6g}")
    return "\n".join(lines)

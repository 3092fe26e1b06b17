"""The ledger of a run: where every ion and every ATP went.

For each conserved species (Na+, K+, Cl-, ATP) in each compartment that
holds it: the amount at the start and the end, what each mechanism moved
out of it (or took from it), what the electrode and the protocol put in,
and the residual that conservation says must be zero.

The moved amounts are exact running totals integrated by the solver with
the state (the layout's ledger items), so the residuals are round-off.
Amounts are in amol (1e-18 mol) per cell: mM*um per membrane area times
the membrane area in um2.  Everything is read from the Result alone.
"""

from __future__ import annotations

import numpy as np

from ..ions import ION_NAMES

AMOL_PER_MM_UM3 = 1.0
"""1 mM in 1 um3 is 1e-3 mol/L x 1e-15 L = 1e-18 mol = 1 amol."""
_WORD = {"i": "inside", "o": "outside"}


def ledger(result):
    """A pandas DataFrame with columns ``what`` (ion or ATP), ``item`` and
    ``amol`` (per cell) for ``result``; rows named ``residual ...`` must be
    zero to round-off.  Also on ``Result.ledger()``."""
    import pandas as pd

    lay = result.layout
    area = float(result.meta["area_um2"])
    first, last = result.initial_state, result.final_state
    rows = []

    def add(what, item, amount):
        rows.append((what, item, float(amount) * area * AMOL_PER_MM_UM3))

    moved = {item.state: last[lay.state(item.state)] - first[lay.state(item.state)] for item in lay.ledger}
    exchanged: dict[str, float] = {}
    for t0, ion, amount in result.meta.get("exchanged", []):
        if t0 > result.t[0]:  # a change at the first sample is already in the starting amount
            exchanged[ion] = exchanged.get(ion, 0.0) + amount
    for species in ION_NAMES:
        for comp in lay.compartments:
            state = lay.amount(species, comp["name"])
            if state is None:
                continue
            c = comp["name"]
            word = _WORD.get(c, comp["title"])
            start, end = first[lay.state(state)], last[lay.state(state)]
            add(species, f"{word} at start", start)
            add(species, f"{word} at end", end)
            out = inflow = 0.0
            for item in lay.ledger:
                if item.species != species:
                    continue
                q = moved[item.state]
                if item.site == "membrane" and item.compartment == c:
                    add(species, f"moved out of the cell by {item.mechanism}" if c == "i" else
                        f"moved out of the {word} by {item.mechanism}", q)
                    out += q
                elif item.site == "membrane" and item.to == c:
                    inflow += q
                elif item.site == "compartment" and item.compartment == c:
                    add(species, f"removed from the {word} by {item.mechanism}", q)
                    out += q
                elif item.site == "electrode" and item.compartment == c:
                    add(species, "put into the cell by the electrode", q)
                    inflow += q
            if c == "o" and species in exchanged:
                add(species, "put into the outside by concentration changes", exchanged[species])
                inflow += exchanged[species]
            rule = {"i": "end - start + moved out - injected",
                    "o": "end - start - moved out + removed - put in"}.get(c, "end - start + out - in")
            add(species, f"residual {word} ({rule})", end - start + out - inflow)
    for comp in lay.compartments:  # ATP, pool by pool: the neuron's, an astrocyte's
        c = comp["name"]
        word = _WORD.get(c, comp["title"])
        used = [item for item in lay.ledger if item.species == "ATP" and item.compartment == c
                and item.site in ("membrane", "compartment")]
        atp = lay.amount("ATP", c)
        if not used and atp is None:
            continue
        where = "" if c == "i" else f" ({word})"
        for item in used:
            add("ATP", f"used by {item.mechanism}{where}" if item.site == "membrane" else
                f"used net by {item.mechanism}{where} (negative: made)", moved[item.state])
        if atp is not None:
            atp0, atp1 = first[lay.state(atp)], last[lay.state(atp)]
            add("ATP", f"{word} at start", atp0)
            add("ATP", f"{word} at end", atp1)
            add("ATP", f"residual {word} (end - start + used)",
                atp1 - atp0 + sum(moved[item.state] for item in used))
    for item in lay.ledger:
        if item.species == "ATP" and item.site == "elsewhere":
            add("ATP", f"used by {item.mechanism} (outside the pools the model tracks)", moved[item.state])
    frame = pd.DataFrame(rows, columns=["what", "item", "amol"])
    frame.attrs["units"] = {"amol": "1e-18 mol per cell"}
    return frame


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

"""The figure of a parameter sweep (``nakpump.sweeps``): one panel per
measure, a heat map over two swept parameters (the first down, the second
across) or a line over one; a point that failed is left blank and counted in
the title.  Reads only the sweep's Dataset."""

from __future__ import annotations

import numpy as np

from .style import RC, plt


def _label(ds, name: str) -> str:
    units = ds[name].attrs.get("units", "")
    return f"{name} ({units})" if units else name


def sweep_figure(ds, title: str = ""):
    """The figure of sweep ``ds``: its measures over its one or two swept dimensions of more than one
    value (more: the first value of each further one is shown; the title says which)."""
    pyplot = plt()
    every = list(ds["error"].dims)
    dims = [d for d in every if ds.sizes[d] > 1] or every[:1]
    measures = [k for k in ds.data_vars if k != "error"]
    if not measures:
        raise ValueError("the sweep has no measures to draw")
    fixed = {d: 0 for d in every if d not in dims[:2]}
    view = ds.isel(fixed) if fixed else ds
    failed = int((ds["error"] != "").sum())
    cols = min(3, len(measures))
    rows = -(-len(measures) // cols)
    with pyplot.rc_context(RC):
        fig, axes = pyplot.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False,
                                    layout="constrained")
        for ax, name in zip(axes.ravel(), measures, strict=False):
            data = view[name]
            if len(dims) == 1:
                x = view[dims[0]].values
                ax.plot(x, data.values, "o-", color="k", ms=3)
                ax.set_xlabel(dims[0])
                ax.set_ylabel(_label(ds, name))
            else:
                y, x = view[dims[0]].values, view[dims[1]].values
                values = np.ma.masked_invalid(data.values.astype(float))
                mesh = ax.pcolormesh(_edges(x), _edges(y), values, cmap="viridis", shading="flat")
                fig.colorbar(mesh, ax=ax, label=_label(ds, name))
                ax.set_xlabel(dims[1])
                ax.set_ylabel(dims[0])
                for j, yv in enumerate(y):
                    for i, xv in enumerate(x):
                        if values.mask is not np.ma.nomask and values.mask[j, i]:
                            ax.plot(xv, yv, "x", color="0.4", ms=4)
            ax.set_title(name)
        for ax in axes.ravel()[len(measures):]:
            ax.set_visible(False)
        extra = [f"{failed} point(s) failed (x)"] if failed else []
        extra += [f"{d} = {ds[d].values[0]:g}" for d in fixed]
        fig.suptitle(" - ".join(filter(None, [title, ", ".join(extra)])), fontsize=10)
    return fig


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around grid values (the middles between neighbours; a single value gets +-0.5)."""
    c = np.asarray(centres, dtype=float)
    if len(c) == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])

"""Characterise a pump model on its own: current against V, Na_i, K_o and
ATP, with published data drawn over it where the source has some (Nakao &
Gadsby 1989 for the kinetic model)."""

from __future__ import annotations

from importlib import resources

import numpy as np

from .compile.numpy_backend import REST, environment, evaluate, pump_current
from .mechanisms import PUMP_MODELS, pump_model

__all__ = ["REST", "pump_current", "currents", "nakao_gadsby", "curves", "figure"]


def currents(model, values: dict | None = None, **conditions) -> np.ndarray:
    """Cycle current J (uA/cm2, = net pump current) of pump ``model`` (a name or
    a Pump instance) under ``conditions`` (names of ``REST``; arrays allowed,
    evaluated at once by the NumPy backend); ``values`` overrides parameters."""
    mech = pump_model(model)() if isinstance(model, str) else model
    if values:
        mech = mech.copy().set(**values)
    return evaluate(mech, environment(**conditions))["fluxes"][0]


def nakao_gadsby():
    """(V in mV, {Na_o: normalised cycling rate}) of Nakao & Gadsby 1989."""
    text = resources.files("nakpump.data").joinpath("nakao_gadsby_1989.csv").read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = rows[0].split(",")
    data = np.array([[float(x) for x in r.split(",")] for r in rows[1:]])
    return data[:, 0], {float(h.split("_")[-1]): data[:, j] for j, h in enumerate(header) if j}


def curves(model: str) -> dict:
    """The four characteristic curves of ``model`` (x and J arrays)."""
    V = np.linspace(-140.0, 60.0, 101)
    na = np.linspace(0.5, 80.0, 100)
    ko = np.linspace(0.05, 20.0, 100)
    atp = np.logspace(-4, 1, 100)
    return {"V": (V, currents(model, V=V)), "Na_i": (na, currents(model, Na_i=na)),
            "K_o": (ko, currents(model, K_o=ko)), "ATP_i": (atp, currents(model, ATP_i=atp))}


def figure(model: str):
    """Matplotlib figure of ``curves(model)`` (and the Nakao-Gadsby panel for
    the kinetic model)."""
    from .results.plot import _plt

    plt = _plt()
    cv = curves(model)
    data_panel = model == "post-albers"
    fig, axes = plt.subplots(2, 3 if data_panel else 2, figsize=(13 if data_panel else 9, 7),
                             constrained_layout=True)
    ax = axes.ravel()
    labels = {"V": "V (mV)", "Na_i": "Na_i (mM)", "K_o": "K_o (mM)", "ATP_i": "ATP (mM; ADP 0.025, Pi 1)"}
    for a, (key, (x, j)) in zip(ax, cv.items(), strict=False):
        a.plot(x, j, color="tab:red")
        a.axhline(0.0, color="0.6", lw=0.6)
        a.axvline(REST[key], color="0.6", ls=":", lw=1)
        a.set_xlabel(labels[key])
        a.set_ylabel("pump current J (uA/cm2)")
        if key == "ATP_i":
            a.set_xscale("log")
    if data_panel:
        V, data = nakao_gadsby()
        vv = np.linspace(-140.0, 40.0, 91)
        cond = dict(Na_i=50.0, K_i=0.0, K_o=5.4, ATP_i=10.0, ADP_i=0.0, Pi_i=0.0)
        values = {"pH": 7.4}
        a = ax[4]
        for (na_o, rate), col in zip(sorted(data.items(), reverse=True),
                                     ("tab:blue", "tab:green", "tab:orange", "tab:purple"), strict=True):
            model_j = currents(model, values, V=vv, Na_o=na_o, **cond)
            ref = pump_current(model, values, V=40.0, Na_o=na_o, **cond)
            a.plot(vv, 55.0 * model_j / ref, color=col, label=f"model, Na_o {na_o:g}")
            a.plot(V, rate, "o", color=col, ms=4, label=f"Nakao & Gadsby 1989, Na_o {na_o:g}")
        a.set_xlabel("V (mV)")
        a.set_ylabel("cycling rate (1/s, 55 at +40 mV)")
        a.legend(fontsize=6)
        ax[5].axis("off")
    title = PUMP_MODELS[model].title
    fig.suptitle(f"nakpump pump-curves {model}: {title}\n(default parameters; other conditions as the "
                 f"default cell at rest: V -70 mV, Na_i 12, K_o 4, ATP 2.5 mM)", fontsize=10)
    return fig

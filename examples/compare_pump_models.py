"""Compare the four pump models in the same cell under the same ischemia.

Each model is calibrated to rest the default neuron (with an ATP budget,
KCC2 and water flow), then the ATP supply stops for 40 s.  Prints how far
ATP falls, how much each pump slows, and whether the cell recovers.
Run: python examples/compare_pump_models.py
"""

import numpy as np

import nakpump as nk
from nakpump.mechanisms import PUMP_MODELS

events = [nk.SetParameter(5000.0, "energy.supply", 0.0), nk.SetParameter(45000.0, "energy.supply", 1.0)]
print(f"{'model':<12} {'ATP min (mM)':>12} {'I_pump rest -> min (uA/cm2)':>28} {'V at end (mV)':>14}")
for model in PUMP_MODELS:
    cell = nk.pump_leak_cell(pump=model, energy=True, chloride="kcc2", volume=True)
    res = nk.simulate(cell, nk.Protocol(events), duration=200000.0, dt=10.0)
    ip = res["I_pump"]
    print(f"{model:<12} {res['ATP_i'].min():12.3f} {ip[0]:13.3f} -> {ip.min():<12.3f} {res['V'][-1]:14.1f}")
    assert np.all(np.isfinite(res["V"]))

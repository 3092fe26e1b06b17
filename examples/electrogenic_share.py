"""How many mV does the pump add to the resting potential, and how does that
depend on the pump's size?  Scales the default cell's pump, lets it come to
rest, and dissects the rest each time.
Run: python examples/electrogenic_share.py
"""

import nakpump as nk

base = nk.pump_leak_cell()
print(f"{'I_pump at rest (uA/cm2)':>24} {'V_rest (mV)':>12} {'pump share (mV)':>16} {'Na_i (mM)':>10}")
for factor in (0.8, 1.0, 1.5, 2.0):
    cell = base.with_params({"pump.imax": base["pump.imax"] * factor})
    system, y, _ = nk.equilibrate(cell)
    rep = nk.rest_report(system, y)
    na_i = float(system.observe(y)["Na_i"][0])
    print(f"{rep.pump_current:24.3f} {rep.V_rest:12.2f} {rep.pump_mV:16.2f} {na_i:10.2f}")

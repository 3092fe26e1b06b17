"""What does firing cost?  Runs 20 s of firing at several rates and reads the
ledger: Na+ that entered, ATP the pump spent, per spike and per second.
Run: python examples/atp_budget_of_firing.py
"""

import nakpump as nk

AVOGADRO = 6.02214076e23
system = nk.compile_cell(nk.pump_leak_cell())
print(f"{'rate (Hz)':>9} {'spikes':>7} {'ATP by pump (1e9 molecules)':>28} {'per spike (1e6)':>16}")
for rate in (1.0, 5.0, 10.0, 20.0):
    n = int(20 * rate)
    protocol = nk.Protocol([nk.PulseTrain(1000.0, n, rate, 1.0, 40.0)])
    res = nk.simulate(system, protocol, duration=120000.0, dt=5.0)
    ledger = res.ledger()
    atp = ledger.loc[(ledger["what"] == "ATP") & (ledger["item"] == "used by pump"), "amol"].iloc[0]
    rest = res["atp_flux"][0] * 616e-8 * 120.0 * 1e18  # amol the pump spends at rest in 120 s
    extra = (atp - rest) * 1e-18 * AVOGADRO
    print(f"{rate:9.0f} {len(res.spikes):7d} {atp * 1e-18 * AVOGADRO / 1e9:28.2f} "
          f"{extra / max(len(res.spikes), 1) / 1e6:16.2f}")

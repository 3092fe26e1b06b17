"""nakpump: how the Na+/K+ pump builds and keeps a neuron's ion gradients.

Units everywhere: ms, mV, mM, uA/cm2, mS/cm2, uF/cm2, um, degC.
Membrane currents are positive outward; the pump current I_pump > 0 means
3 Na+ out and 2 K+ in per cycle, one ATP used.

>>> import nakpump as nk
>>> cell = nk.default_cell()          # a cortical neuron with an astrocyte, in tissue
>>> res = nk.simulate(nk.compile_cell(cell), nk.Protocol([nk.Pulse(10, 1, 20)]), duration=50)

The package is organised by pipeline stage: ``model`` (the spec: cells,
protocols), ``mechanisms`` (kernels), ``compile`` (layout and backends),
``solve`` (integrators, steady states), ``results`` (results, ledger,
analysis, figures), ``catalog`` (the default neuron, published models and
their scenarios).  The names below are imported on first use, so
``import nakpump`` is quick.

Citations such as "REFERENCES 2.7" in the docstrings are sections of the
project's reference sheet, docs/references.md; "DESIGN.md" is docs/design.md.
"""

from ._version import __version__

_PUBLIC = {
    "analysis": ("nakpump.results.analysis", None),
    "Cell": ("nakpump.model.cell", "Cell"),
    "sphere": ("nakpump.model.cell", "sphere"),
    "Block": ("nakpump.model.protocol", "Block"),
    "Protocol": ("nakpump.model.protocol", "Protocol"),
    "Pulse": ("nakpump.model.protocol", "Pulse"),
    "PulseTrain": ("nakpump.model.protocol", "PulseTrain"),
    "SetConcentration": ("nakpump.model.protocol", "SetConcentration"),
    "SetParameter": ("nakpump.model.protocol", "SetParameter"),
    "Step": ("nakpump.model.protocol", "Step"),
    "Mechanism": ("nakpump.mechanisms", "Mechanism"),
    "Param": ("nakpump.mechanisms", "Param"),
    "System": ("nakpump.compile.system", "System"),
    "compile_cell": ("nakpump.compile.system", "compile_cell"),
    "SolverError": ("nakpump.solve.simulate", "SolverError"),
    "Tolerances": ("nakpump.solve.simulate", "Tolerances"),
    "simulate": ("nakpump.solve.simulate", "simulate"),
    "simulate_batch": ("nakpump.solve.batch", "simulate_batch"),
    "sweep": ("nakpump.sweeps", "sweep"),
    "calibrate": ("nakpump.solve.steady", "calibrate"),
    "equilibrate": ("nakpump.solve.steady", "equilibrate"),
    "scale_pump": ("nakpump.solve.steady", "scale_pump"),
    "rest_report": ("nakpump.solve.rest", "rest_report"),
    "Result": ("nakpump.results.result", "Result"),
    "load_result": ("nakpump.results.result", "load_result"),
    "default_cell": ("nakpump.catalog.cells", "default_cell"),
    "neuron_in_tissue": ("nakpump.catalog.tissue", "neuron_in_tissue"),
    "pump_leak_cell": ("nakpump.catalog.cells", "pump_leak_cell"),
    "squid_cell": ("nakpump.catalog.cells", "squid_cell"),
}
_MECHANISMS = ("HHK", "HHNa", "KCC2", "NKCC1", "BathDiffusion", "Energy", "FixedLeak", "GHKLeak",
               "GlialPump", "GlialUptake", "HillPump", "Leak", "LuoRudyPump", "Osmosis", "Oxygen",
               "PostAlbersPump", "SigmoidPump", "TraubK", "TraubNa", "VolumeRelaxation",
               "CressmanChannels", "HubelDahlemNaK", "Alpha1Pump", "Alpha3Pump", "AstrocytePump",
               "CreatineKinase", "Glycolysis", "KATP", "Kir41", "MainenNa", "MCurrent", "TraubKdr")
_PUBLIC.update({name: ("nakpump.mechanisms", name) for name in _MECHANISMS})

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'nakpump' has no attribute {name!r}")
    import importlib

    module, attr = _PUBLIC[name]
    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)

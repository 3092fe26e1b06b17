"""The tutorials in docs/tutorials run as written and print what they show.

Each tutorial's ``python`` blocks run in order in one namespace, as a reader
pastes them into one session, in a scratch directory.  A block followed by an
output block (a ``text`` fence right after the line ``<!-- prints -->``) must
print that output: the same words, and the same numbers (whole numbers below
1000 exactly, others within 3 %, or within one unit of the last printed
digit).  ``pytest tests/test_tutorials.py --regenerate-references`` rewrites
the output blocks from a run instead (then read the diff).

Then each tutorial's own numbers are checked against the physics it teaches,
read from its namespace the way a user would.  The python blocks of the
theory pages run too.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

import nakpump as nk

DOCS = Path(__file__).parents[1] / "docs"
TUTORIALS = sorted((DOCS / "tutorials").glob("*.md"))
MARK = "<!-- prints -->"
_FENCE = re.compile(r"(?P<mark><!-- prints -->\s*\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:e[-+]?\d+)?")


def blocks(text: str) -> list[dict]:
    """The fenced blocks of a page, in order: lang, body, span, and for an
    output block the index of the python block it belongs to."""
    out, last_code = [], None
    for m in _FENCE.finditer(text):
        block = {"lang": m["lang"], "body": m["body"], "span": m.span("body"), "output_of": None}
        if m["mark"]:
            if m["lang"] != "text" or last_code is None or out[-1]["lang"] != "python":
                raise AssertionError(f"an output block must be a text fence right after a python block: "
                                     f"{m['body'][:60]!r}")
            block["output_of"] = last_code
        if m["lang"] == "python":
            last_code = len(out)
        out.append(block)
    return out


def run_page(path: Path) -> tuple[dict, dict]:
    """Run the page's python blocks in one namespace; return it and each block's output."""
    namespace: dict = {"__name__": "__main__"}
    printed = {}
    for k, block in enumerate(blocks(path.read_text())):
        if block["lang"] != "python":
            continue
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(block["body"], f"{path.name}, block {k}", "exec"), namespace)
        printed[k] = buffer.getvalue()
    return namespace, printed


def _close(expected: str, actual: str) -> bool:
    e, a = float(expected), float(actual)
    if re.fullmatch(r"[-+]?\d+", expected) and abs(e) < 1000:
        return e == a
    decimals = len(expected.split(".")[1].split("e")[0]) if "." in expected else 0
    unit = 10.0 ** -decimals * (10.0 ** int(expected.split("e")[1]) if "e" in expected else 1.0)
    return abs(a - e) <= max(0.03 * abs(e), unit)


def mismatch(expected: str, actual: str) -> str | None:
    """Why ``actual`` output differs from the ``expected`` one, or None."""
    words_e, words_a = _NUMBER.split(expected), _NUMBER.split(actual)
    norm = [" ".join(w.split()) for w in words_e], [" ".join(w.split()) for w in words_a]
    if norm[0] != norm[1]:
        return f"the text differs:\n--- shown\n{expected}--- printed\n{actual}"
    for e, a in zip(_NUMBER.findall(expected), _NUMBER.findall(actual), strict=True):
        if not _close(e, a):
            return f"shown {e}, printed {a}:\n--- shown\n{expected}--- printed\n{actual}"
    return None


def regenerate(path: Path, printed: dict) -> None:
    text = path.read_text()
    found = blocks(text)
    for block in reversed(found):
        if block["output_of"] is not None:
            start, end = block["span"]
            text = text[:start] + printed[block["output_of"]] + text[end:]
    path.write_text(text)


# ------------------------------------------------------ what each one teaches --
def _first_simulation(ns):
    res, rest = ns["res"], ns["rest"]
    assert rest.V_rest == pytest.approx(-70.0, abs=1e-6)
    assert -10.0 < rest.pump_mV < -1.0 and rest.pump_current > 0
    assert len(res.spikes) == 50
    before, after = ns["before"], ns["after"]
    assert res["Na_i"][after] - res["Na_i"][before] > 0.5
    extra = {n: res[f"I_{n}"][after] - res[f"I_{n}"][before] for n in ("alpha1", "alpha3")}
    assert extra["alpha1"] > extra["alpha3"] > 0
    ledger = ns["ledger"]
    ions = ledger[ledger["what"] != "ATP"]
    residual = ions.loc[ions["item"].str.startswith("residual"), "amol"].abs().max()
    assert residual < 1e-9 * ions["amol"].abs().max()
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        total = inv[f"total_{ion}"] + res.state(f"q_diffusion_{ion.lower()}_{ion}")
        assert np.ptp(total) < 1e-9 * total[0], ion
    assert ns["again"].ledger().equals(ledger)


def _pump_ahp(ns):
    window = ns["window"]
    control = ns["dv"][window(ns["res"])].mean()
    assert len(ns["res"].spikes) == 100
    assert -3.0 < control < -0.3                     # a pump AHP of about a millivolt
    assert ns["mV"] == pytest.approx(-control, rel=0.2)   # = extra pump current x input resistance
    assert ns["dv_ouabain"][window(ns["res_o"])].mean() > 0.0   # ouabain: gone
    assert len(ns["res_t"].spikes) == 0
    assert abs(ns["dv_ttx"][window(ns["res_t"])].mean()) < 0.3 * abs(control)   # TTX: gone


def _ischemia(ns):
    res, s, first = ns["res"], ns["s"], ns["first"]
    t_half = first(res["ATP_i"] < 0.5 * res["ATP_i"][0])
    assert 40.0 < t_half < 100.0                    # rat under N2: about 65 s (REFERENCES 2.7)
    assert 60.0 < ns["ad"] < 300.0                  # anoxic depolarisation 1-5 min
    assert t_half < ns["ad"]
    assert res["K_o"].max() > 20.0 and s[-1] > ns["ad"]
    back = ns["back"]
    assert back["V"][-1] < -65.0 and back["ATP_i"][-1] > 0.9 * back["ATP_i"][0]
    anoxia = ns["r"]
    assert anoxia["ATP_i"][-1] < 0.2 * anoxia["ATP_i"][0]
    assert nk.analysis.time_depolarised(anoxia, 10000.0) is None and anoxia["K_o"].max() < 10.0


def _build_a_cell(ns):
    reference = nk.pump_leak_cell()
    for name in ("leak_na.g", "pump.imax"):
        assert ns["cell"][name] == pytest.approx(reference[name], rel=1e-9), name
    assert ns["rest"].V_rest == pytest.approx(-70.0, abs=1e-6)
    alone, with_glia = ns["alone"], ns["with_glia"]
    assert len(alone.spikes) == len(with_glia.spikes) == 100
    assert with_glia["K_o"].max() < alone["K_o"].max() - 0.5
    assert with_glia["K_g"].max() > with_glia["K_g"][0]
    res = ns["res"]
    assert "I_ampa_Na" in res and ns["na_in"] > 0
    during = ns["during"]
    assert res["V"][during].mean() > res["V"][0] + 3.0
    for key, values in res.conservation().items():
        assert np.ptp(values) < 1e-9 * np.abs(values[0]), key


def _populations(ns):
    ds, imax = ns["ds"], ns["imax"]
    assert ds.sizes["cell"] == 200 and (ds.error == "").all()
    assert np.all(np.diff(ns["na_end"].values) < 0)  # more pump, less Na+ left at 1 s
    np.testing.assert_array_equal(ds["pump.imax"].values, imax)
    assert ns["bad"].error.values[1].startswith("pump.imax = -1")
    rest_map = ns["rest_map"]
    e_k, v = rest_map.E_K.values[0], rest_map.V_rest.values[0]
    assert np.all(np.diff(e_k) > 0) and np.all(np.diff(v) > 0)  # more K_o: E_K and rest less negative
    assert v[1] == pytest.approx(-70.0, abs=0.01)  # 4 mM is the cell's own, calibrated rest
    assert np.all(v > e_k)  # the Na+ leak keeps rest above E_K
    swept = ns["swept"]
    assert (swept.error == "").all() and (swept["spike_count"] >= 10).all()  # every pulse fires
    assert np.all(np.diff(swept["Na_i:final"].values, axis=0) < 0)  # more pump, less Na+ left
    assert np.all(np.diff(swept["V:min"].values, axis=1) > 0)  # more K_o: the troughs less negative


CHECKS = {"first-simulation": _first_simulation, "pump-ahp": _pump_ahp, "ischemia": _ischemia,
          "build-a-cell": _build_a_cell, "populations": _populations}


def test_every_tutorial_has_its_checks_and_outputs():
    assert {p.stem for p in TUTORIALS} == set(CHECKS)
    for path in TUTORIALS:
        found = blocks(path.read_text())
        assert sum(b["output_of"] is not None for b in found) >= 3, path.name


def run_and_compare(path, request) -> dict:
    namespace, printed = run_page(path)
    if request.config.getoption("--regenerate-references"):
        regenerate(path, printed)
    else:
        for block in blocks(path.read_text()):
            if block["output_of"] is not None:
                why = mismatch(block["body"], printed[block["output_of"]])
                assert why is None, f"{path.name}: {why}"
    return namespace


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial(path, tmp_path, monkeypatch, request):
    monkeypatch.chdir(tmp_path)
    CHECKS[path.stem](run_and_compare(path, request))


THEORY = [p for p in sorted((DOCS / "theory").glob("*.md")) if "```python" in p.read_text()]


@pytest.mark.parametrize("path", THEORY, ids=[p.stem for p in THEORY])
def test_theory_code_runs(path, tmp_path, monkeypatch, request):
    monkeypatch.chdir(tmp_path)
    run_and_compare(path, request)


def test_output_comparison_catches_a_changed_number():
    shown = "K_o rises from 4.0 to 7.65 mM\n100 spikes\n"
    assert mismatch(shown, "K_o rises from 4.0 to 7.70 mM\n100 spikes\n") is None
    assert mismatch(shown, "K_o rises from 4.0 to 8.10 mM\n100 spikes\n") is not None
    assert mismatch(shown, "K_o rises from 4.0 to 7.65 mM\n99 spikes\n") is not None
    assert mismatch(shown, "K_o falls from 4.0 to 7.65 mM\n100 spikes\n") is not None

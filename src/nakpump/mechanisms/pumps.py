"""The Na+/K+-ATPase, written as a stoichiometric flux.

One cycle moves 3 Na+ out and 2 K+ in and hydrolyses one ATP: one net
elementary charge leaves the cell per cycle.  A pump model only returns
its cycle rate (as a cycle current J, uA/cm2); the system turns J into
I_Na = +3 J, I_K = -2 J and the ATP flux J/F with the stoichiometry
declared here.
"""

from __future__ import annotations

from numba import njit

from ..ions import NA, K
from .base import Mechanism, Param, register


@njit(cache=True)
def hill_pump_rate(V, T, rtf, ci, co, E, met, s, p):
    imax, km_na, km_k, n_na, n_k, q10, t_ref = p[0], p[1], p[2], p[3], p[4], p[5], p[6]
    sat_na = (1.0 + km_na / ci[NA]) ** (-n_na)
    sat_k = (1.0 + km_k / co[K]) ** (-n_k)
    return imax * q10 ** ((T - t_ref) / 10.0) * sat_na * sat_k


@register
class HillPump(Mechanism):
    """Na+/K+-ATPase with Hill-type saturation in Na_i and K_o.

    J = imax * q10^((T - T_ref)/10) * (1 + km_na/Na_i)^-n_na * (1 + km_k/K_o)^-n_k
    """

    kind = "transporter"
    family = "hill_pump"
    default_name = "pump"
    title = "Na+/K+-ATPase, Michaelis-Menten/Hill saturation in Na_i and K_o"
    params = (
        Param("imax", 8.0, "uA/cm2", 0.0, 1e3,
              "net pump current at full saturation (= F x maximal cycle flux)"),
        Param("km_na", 10.0, "mM", 1e-3, 1e3, "Na_i for half-saturation of each Na+ site"),
        Param("km_k", 2.0, "mM", 1e-3, 1e3, "K_o for half-saturation of each K+ site"),
        Param("n_na", 3.0, "1", 0.0, 5.0, "Na+ sites (exponent)"),
        Param("n_k", 2.0, "1", 0.0, 5.0, "K+ sites (exponent)"),
        Param("q10", 1.0, "1", 1.0, 10.0, "temperature coefficient of the turnover"),
        Param("T_ref", 37.0, "degC", -10.0, 50.0, "temperature at which imax holds"),
    )
    stoichiometry = {"Na": 3, "K": -2}
    atp_per_cycle = 1
    source = ("Kager H, Wadman WJ, Somjen GG (2000) J Neurophysiol 84:495-512 (pump form; "
              "km_na 10 mM, km_k 2 mM as in ModelDB 113446 nakpump.mod)")
    rate = hill_pump_rate

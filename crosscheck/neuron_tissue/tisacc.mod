COMMENT
Everything of the neuron in tissue that is not a membrane mechanism, in the
neuron's section: the amounts and volumes of its three compartments
(neuron cytosol i, astrocyte g, extracellular space o), the ATP budgets of
both cytosols, the tissue O2 and the exchange with the bath.  nakpump's
`Cell` compartments, `energy`, `ck`, `glycolysis` (and their `glia_`
copies), `water` and `glia_water`, `oxygen`, `diffusion_na/k/cl`.

States: concentrations (mM) of Na+, K+, Cl- in i (nai, ki, cli: NEURON's
ion concentrations, this being the only mechanism that writes them), in o
(nao, ko, clo) and in g (nag, kg, clg); ATP, ADP, Pi, PCr, Cr in i and g
(mM); the volumes relative to their start (vi, vo, vg); O2 (mg/L).

Amounts are counted per the neuron's membrane area, as in nakpump: a
compartment of volume vol holds c w, w = vol/area (um), and 1 mA/cm2 over
1 um is k = 1e4/faraday mM/ms.  Flows into each compartment (mM um/ms):

  neuron membrane (ina, ik, icl: NEURON's totals of the neuron section,
  outward, icl the Cl- current): i loses k ina, k ik, -k icl, o gains them;
  the electrode's K+ (iel, uA/cm2, POINTER to tisinj.amp) is part of ik but
  enters the cytosol only, so it is taken out of o's balance;
  astrocyte membrane (ina_g, ik_g, icl_g: POINTERs to tisglia's, per
  astrocyte area): the same x ag = area_g/area between g and o;
  bath (per extracellular volume): rate 1e-3 f_O f_v (c_o - bath), with
  f_O = 1/(1 + exp((o2_half - O2_bath)/o2_slope)) and
  f_v = 1/(1 + exp((w_i/w_o - beta_half)/beta_slope)), each 1 at slope 0.

Water (um/ms per neuron area; nakpump's Osmosis, d(vol/area)/dt = lp (osm_in
- osm_out) per the mechanism's own membrane): q_i = lp 1e-3 (osm_i - osm_o)
into i, q_g = lp_g 1e-3 ag (osm_g - osm_o) into g, both out of o; the
osmolarity counts Na+, K+, Cl-, the impermeant anions (Na + K - Cl at the
start, a fixed amount) and the neutral osmolytes X (fixed amounts).

ATP (nakpump's Energy, CreatineKinase, Glycolysis in each cytosol; rates in
mM/ms of the cytosol):
  r_E  = (1 - block) 1e-3 [vmax supply f ADP/(ADP + km_adp) Pi/(Pi + km_pi)
                           - baseline ATP/(ATP + km_use)],  f = O2/(O2 + o2_half) (1 if o2_half = 0)
  r_CK = (1 - block) k_ck (PCr ADP - ATP Cr/K_eq)
  r_G  = (1 - block) 1e-3 vmax glucose ADP/(ADP + km_adp) Pi/(Pi + km_pi)
  ATP += r_E + r_G + r_CK, ADP -= r_E + r_G + r_CK, Pi -= r_E + r_G,
  PCr -= r_CK, Cr += r_CK; the pumps use one ATP per cycle: k jn (jn, POINTER
  to tispump.jatp, mA/cm2) from i and k ag jg (jg, POINTER to tisglia.jatp)
  from g, each making one ADP and one Pi.
O2 (nakpump's Oxygen, mg/L per ms):
  O2' = (1 - block) [-alpha (k jn/w_i + k ag jg/w_g) + eps 1e-3 (O2_bath - O2)].

A concentration changes with its amount and its volume: c' = (flow - c w')/w.
Parameters are named after nakpump's (cell.vol_i -> cell_vol_i, energy.vmax
-> energy_vmax, glia_water.lp -> glia_water_lp, diffusion_k.rate ->
diffusion_k_rate) and set from Python, with faraday = nakpump's F.
ENDCOMMENT

NEURON {
    SUFFIX tisacc
    USEION na READ ina WRITE nai, nao
    USEION k READ ik WRITE ki, ko
    USEION cl READ icl WRITE cli, clo VALENCE -1
    POINTER iel, jn, ina_g, ik_g, icl_g, jg
    RANGE cell_area, cell_area_g, cell_vol_i, cell_vol_o, cell_vol_g, cell_X_i, cell_X_o, cell_X_g
    RANGE cell_Na_g, cell_K_g, cell_Cl_g, cell_O2_bath
    RANGE cell_ATP_i, cell_ADP_i, cell_Pi_i, cell_PCr_i, cell_Cr_i
    RANGE cell_ATP_g, cell_ADP_g, cell_Pi_g, cell_PCr_g, cell_Cr_g
    RANGE energy_vmax, energy_supply, energy_km_adp, energy_km_pi, energy_baseline, energy_km_use
    RANGE energy_o2_half, energy_block
    RANGE glia_energy_vmax, glia_energy_supply, glia_energy_km_adp, glia_energy_km_pi
    RANGE glia_energy_baseline, glia_energy_km_use, glia_energy_o2_half, glia_energy_block
    RANGE ck_k, ck_K_eq, ck_block, glia_ck_k, glia_ck_K_eq, glia_ck_block
    RANGE glycolysis_vmax, glycolysis_glucose, glycolysis_km_adp, glycolysis_km_pi, glycolysis_block
    RANGE glia_glycolysis_vmax, glia_glycolysis_glucose, glia_glycolysis_km_adp, glia_glycolysis_km_pi
    RANGE glia_glycolysis_block
    RANGE water_lp, water_block, glia_water_lp, glia_water_block
    RANGE oxygen_alpha, oxygen_eps, oxygen_block
    RANGE diffusion_k_rate, diffusion_k_bath, diffusion_k_o2_half, diffusion_k_o2_slope
    RANGE diffusion_k_beta_half, diffusion_k_beta_slope, diffusion_k_block
    RANGE diffusion_na_rate, diffusion_na_bath, diffusion_na_o2_half, diffusion_na_o2_slope
    RANGE diffusion_na_beta_half, diffusion_na_beta_slope, diffusion_na_block
    RANGE diffusion_cl_rate, diffusion_cl_bath, diffusion_cl_o2_half, diffusion_cl_o2_slope
    RANGE diffusion_cl_beta_half, diffusion_cl_beta_slope, diffusion_cl_block
    RANGE faraday
    RANGE nag, kg, clg, atpi, adpi, pii, pcri, cri, atpg, adpg, pig, pcrg, crg, vi, vo, vg, o2
}

UNITS {
    (mA) = (milliamp)
    (uA) = (microamp)
    (mM) = (milli/liter)
    (um) = (micron)
}

PARAMETER {
    cell_area = 1 (um2)
    cell_area_g = 1 (um2)
    cell_vol_i = 1 (um3)
    cell_vol_o = 1 (um3)
    cell_vol_g = 1 (um3)
    cell_X_i = 0 (mM)
    cell_X_o = 0 (mM)
    cell_X_g = 0 (mM)
    cell_Na_g = 1 (mM)
    cell_K_g = 1 (mM)
    cell_Cl_g = 1 (mM)
    cell_O2_bath = 32 (1)
    cell_ATP_i = 1 (mM)
    cell_ADP_i = 1 (mM)
    cell_Pi_i = 1 (mM)
    cell_PCr_i = 1 (mM)
    cell_Cr_i = 1 (mM)
    cell_ATP_g = 1 (mM)
    cell_ADP_g = 1 (mM)
    cell_Pi_g = 1 (mM)
    cell_PCr_g = 1 (mM)
    cell_Cr_g = 1 (mM)
    energy_vmax = 0 (1)
    energy_supply = 1 (1)
    energy_km_adp = 1 (mM)
    energy_km_pi = 1 (mM)
    energy_baseline = 0 (1)
    energy_km_use = 1 (mM)
    energy_o2_half = 0 (1)
    energy_block = 0 (1)
    glia_energy_vmax = 0 (1)
    glia_energy_supply = 1 (1)
    glia_energy_km_adp = 1 (mM)
    glia_energy_km_pi = 1 (mM)
    glia_energy_baseline = 0 (1)
    glia_energy_km_use = 1 (mM)
    glia_energy_o2_half = 0 (1)
    glia_energy_block = 0 (1)
    ck_k = 0 (1)
    ck_K_eq = 1 (1)
    ck_block = 0 (1)
    glia_ck_k = 0 (1)
    glia_ck_K_eq = 1 (1)
    glia_ck_block = 0 (1)
    glycolysis_vmax = 0 (1)
    glycolysis_glucose = 1 (1)
    glycolysis_km_adp = 1 (mM)
    glycolysis_km_pi = 1 (mM)
    glycolysis_block = 0 (1)
    glia_glycolysis_vmax = 0 (1)
    glia_glycolysis_glucose = 1 (1)
    glia_glycolysis_km_adp = 1 (mM)
    glia_glycolysis_km_pi = 1 (mM)
    glia_glycolysis_block = 0 (1)
    water_lp = 0 (1)
    water_block = 0 (1)
    glia_water_lp = 0 (1)
    glia_water_block = 0 (1)
    oxygen_alpha = 0 (1)
    oxygen_eps = 0 (1)
    oxygen_block = 0 (1)
    diffusion_k_rate = 0 (1)
    diffusion_k_bath = 4 (mM)
    diffusion_k_o2_half = 0 (1)
    diffusion_k_o2_slope = 0 (1)
    diffusion_k_beta_half = 0 (1)
    diffusion_k_beta_slope = 0 (1)
    diffusion_k_block = 0 (1)
    diffusion_na_rate = 0 (1)
    diffusion_na_bath = 145 (mM)
    diffusion_na_o2_half = 0 (1)
    diffusion_na_o2_slope = 0 (1)
    diffusion_na_beta_half = 0 (1)
    diffusion_na_beta_slope = 0 (1)
    diffusion_na_block = 0 (1)
    diffusion_cl_rate = 0 (1)
    diffusion_cl_bath = 120 (mM)
    diffusion_cl_o2_half = 0 (1)
    diffusion_cl_o2_slope = 0 (1)
    diffusion_cl_beta_half = 0 (1)
    diffusion_cl_beta_slope = 0 (1)
    diffusion_cl_block = 0 (1)
    faraday = 96485.33212 (coulomb)
}

ASSIGNED {
    ina (mA/cm2)
    ik (mA/cm2)
    icl (mA/cm2)
    iel (uA/cm2)
    jn (mA/cm2)
    ina_g (mA/cm2)
    ik_g (mA/cm2)
    icl_g (mA/cm2)
    jg (mA/cm2)
    imp_i (mM)
    imp_o (mM)
    imp_g (mM)
    wi (um)
    wo (um)
    wg (um)
    qi (um/ms)
    qg (um/ms)
}

STATE {
    nai (mM)
    ki (mM)
    cli (mM)
    nao (mM)
    ko (mM)
    clo (mM)
    nag (mM)
    kg (mM)
    clg (mM)
    atpi (mM)
    adpi (mM)
    pii (mM)
    pcri (mM)
    cri (mM)
    atpg (mM)
    adpg (mM)
    pig (mM)
    pcrg (mM)
    crg (mM)
    vi (1)
    vo (1)
    vg (1)
    o2 (1)
}

INITIAL {
    : nai ... clo come from the ions' initial concentrations (set from Python)
    nag = cell_Na_g
    kg = cell_K_g
    clg = cell_Cl_g
    atpi = cell_ATP_i
    adpi = cell_ADP_i
    pii = cell_Pi_i
    pcri = cell_PCr_i
    cri = cell_Cr_i
    atpg = cell_ATP_g
    adpg = cell_ADP_g
    pig = cell_Pi_g
    pcrg = cell_PCr_g
    crg = cell_Cr_g
    vi = 1
    vo = 1
    vg = 1
    o2 = cell_O2_bath
    : impermeant monovalent anions that make each compartment neutral at the start (mM)
    imp_i = nai + ki - cli
    imp_o = nao + ko - clo
    imp_g = nag + kg - clg
}

BREAKPOINT {
    SOLVE conc METHOD cnexp
}

UNITSOFF
DERIVATIVE conc {
    LOCAL k, ag, wi0, wo0, wg0, osmi, osmo, osmg, bna, bk, bcl, ratio, rei, rcki, rgli, reg, rckg, rglg, usei, useg
    k = 1e4 / faraday
    ag = cell_area_g / cell_area
    wi0 = cell_vol_i / cell_area
    wo0 = cell_vol_o / cell_area
    wg0 = cell_vol_g / cell_area
    wi = vi * wi0
    wo = vo * wo0
    wg = vg * wg0

    : water, um/ms per neuron area
    osmi = nai + ki + cli + (imp_i + cell_X_i) / vi
    osmo = nao + ko + clo + (imp_o + cell_X_o) / vo
    osmg = nag + kg + clg + (imp_g + cell_X_g) / vg
    qi = (1 - water_block) * water_lp * 1e-3 * (osmi - osmo)
    qg = (1 - glia_water_block) * glia_water_lp * 1e-3 * ag * (osmg - osmo)
    vi' = qi / wi0
    vg' = qg / wg0
    vo' = -(qi + qg) / wo0

    : exchange with the bath, mM/ms of the extracellular space
    ratio = wi / wo
    bna = bath(nao, ratio, diffusion_na_rate, diffusion_na_bath, diffusion_na_o2_half, diffusion_na_o2_slope,
               diffusion_na_beta_half, diffusion_na_beta_slope, diffusion_na_block)
    bk = bath(ko, ratio, diffusion_k_rate, diffusion_k_bath, diffusion_k_o2_half, diffusion_k_o2_slope,
              diffusion_k_beta_half, diffusion_k_beta_slope, diffusion_k_block)
    bcl = bath(clo, ratio, diffusion_cl_rate, diffusion_cl_bath, diffusion_cl_o2_half, diffusion_cl_o2_slope,
               diffusion_cl_beta_half, diffusion_cl_beta_slope, diffusion_cl_block)

    : ions: c' = (flow - c w')/w
    nai' = (-k * ina - nai * qi) / wi
    ki' = (-k * ik - ki * qi) / wi
    cli' = (k * icl - cli * qi) / wi
    nag' = (-k * ag * ina_g - nag * qg) / wg
    kg' = (-k * ag * ik_g - kg * qg) / wg
    clg' = (k * ag * icl_g - clg * qg) / wg
    nao' = (k * (ina + ag * ina_g) + nao * (qi + qg)) / wo - bna
    ko' = (k * (ik + 0.001 * iel + ag * ik_g) + ko * (qi + qg)) / wo - bk
    clo' = (-k * (icl + ag * icl_g) + clo * (qi + qg)) / wo - bcl

    : ATP budgets, mM/ms of each cytosol; the pumps' use per cytosol volume
    rei = energy(atpi, adpi, pii, o2, energy_vmax, energy_supply, energy_km_adp, energy_km_pi,
                 energy_baseline, energy_km_use, energy_o2_half, energy_block)
    rcki = (1 - ck_block) * ck_k * (pcri * adpi - atpi * cri / ck_K_eq)
    rgli = glycolysis(adpi, pii, glycolysis_vmax, glycolysis_glucose, glycolysis_km_adp, glycolysis_km_pi,
                      glycolysis_block)
    usei = k * jn / wi
    reg = energy(atpg, adpg, pig, o2, glia_energy_vmax, glia_energy_supply, glia_energy_km_adp,
                 glia_energy_km_pi, glia_energy_baseline, glia_energy_km_use, glia_energy_o2_half,
                 glia_energy_block)
    rckg = (1 - glia_ck_block) * glia_ck_k * (pcrg * adpg - atpg * crg / glia_ck_K_eq)
    rglg = glycolysis(adpg, pig, glia_glycolysis_vmax, glia_glycolysis_glucose, glia_glycolysis_km_adp,
                      glia_glycolysis_km_pi, glia_glycolysis_block)
    useg = k * ag * jg / wg
    atpi' = rei + rgli + rcki - usei - atpi * qi / wi
    adpi' = -rei - rgli - rcki + usei - adpi * qi / wi
    pii' = -rei - rgli + usei - pii * qi / wi
    pcri' = -rcki - pcri * qi / wi
    cri' = rcki - cri * qi / wi
    atpg' = reg + rglg + rckg - useg - atpg * qg / wg
    adpg' = -reg - rglg - rckg + useg - adpg * qg / wg
    pig' = -reg - rglg + useg - pig * qg / wg
    pcrg' = -rckg - pcrg * qg / wg
    crg' = rckg - crg * qg / wg

    : tissue O2, mg/L per ms
    o2' = (1 - oxygen_block) * (-oxygen_alpha * (usei + useg) + oxygen_eps * 1e-3 * (cell_O2_bath - o2))
}

FUNCTION bath(c, ratio, rate, cb, o2_half, o2_slope, beta_half, beta_slope, block) {
    LOCAL fo, fv
    fo = 1
    if (o2_slope > 0) {
        fo = 1 / (1 + exp((o2_half - cell_O2_bath) / o2_slope))
    }
    fv = 1
    if (beta_slope > 0) {
        fv = 1 / (1 + exp((ratio - beta_half) / beta_slope))
    }
    bath = (1 - block) * rate * 1e-3 * fo * fv * (c - cb)
}

FUNCTION energy(atp, adp, pi, ox, vmax, supply, km_adp, km_pi, baseline, km_use, o2_half, block) {
    LOCAL f
    f = 1
    if (o2_half > 0) {
        f = ox / (ox + o2_half)
    }
    energy = (1 - block) * 1e-3 * (vmax * supply * f * adp / (adp + km_adp) * pi / (pi + km_pi)
                                   - baseline * atp / (atp + km_use))
}

FUNCTION glycolysis(adp, pi, vmax, glucose, km_adp, km_pi, block) {
    glycolysis = (1 - block) * 1e-3 * vmax * glucose * adp / (adp + km_adp) * pi / (pi + km_pi)
}
UNITSON

"""Rodas4: an L-stable, stiffly accurate Rosenbrock method of order 4(3) with
step-size control and a third-order dense output.

Coefficients: Hairer E, Wanner G (1996) Solving Ordinary Differential
Equations II, 2nd ed., Springer, section IV.7, Table 7.2 (RODAS, gamma = 1/4)
and the dense-output coefficients of their code RODAS.

Why a Rosenbrock method: the stages are linear solves with the Jacobian, so
every linear invariant of the right-hand side (each ion's total amount, and
membrane charge against ions moved) is kept to round-off at every step and in
the dense output; no Newton iteration can leave a residual in them.

The integrator is compiled once, for every model: it receives the model's
right-hand side as a first-class function on the arrays' data addresses
(``rhs(y, p, dy)``, ``nakpump.compile.numba_types.FUNCTION_SIGNATURE``), the step control in
``Controls`` (tolerances, finite-difference scales, how many states are
dynamic), the event to locate in ``Event`` (the state index and threshold:
upward crossings of the membrane potential the layout names) and where to
record in ``Record``.  The right-hand side is autonomous between protocol
edges (stimuli are parameters), so no time derivative enters.

Unstable states.  An L-stable method damps every mode once h |lambda| is
large, the growing ones too: with long steps it can sit on an unstable
equilibrium (e.g. the depolarisation block of a spreading depression, an
unstable focus growing at ~1/ms) where the true solution leaves it, and
the error estimate, near zero at an equilibrium, does not object.  So the
step controller, when a step is long enough for that to matter (h times a
Gershgorin bound on the spectrum above 1) while the potential is nearly
still (|dV/dt| h below 0.1 mV, V the state ``Controls.i_still``), has the
rightmost eigenvalue of the Jacobian is computed, and h is kept below
1/Re(lambda) while a mode grows.  The check is repeated after 20 steps or
when h has doubled while a mode grows, after 50 steps or an 8-fold h when
none did (an eigenvalue decomposition costs about as much as a step).
"""

import math

import numpy as np
from numba import njit, types

from ..compile.numba_types import FUNCTION_SIGNATURE
from ..compile.tableau import (  # noqa: F401  (the coefficients, shared with the LLVM step)
    A21,
    A31,
    A32,
    A41,
    A42,
    A43,
    A51,
    A52,
    A53,
    A54,
    C21,
    C31,
    C32,
    C41,
    C42,
    C43,
    C51,
    C52,
    C53,
    C54,
    C61,
    C62,
    C63,
    C64,
    C65,
    GAMMA,
    H21,
    H22,
    H23,
    H24,
    H25,
    H31,
    H32,
    H33,
    H34,
    H35,
)
from .run_arrays import (  # noqa: F401  (the arrays of a run, shared with the LLVM driver)
    STATUS_DONE,
    STATUS_EVENTS_FULL,
    STATUS_MAX_STEPS,
    STATUS_STEP_TOO_SMALL,
    Controls,
    Event,
    Plan,
    Record,
)

_F8, _I8, _V8 = types.float64, types.int64, types.float64[::1]
RHS = types.FunctionType(FUNCTION_SIGNATURE)
JAC = RHS
_VI = types.int64[::1]
CONTROLS = types.NamedTuple((_F8, _V8, _V8, _I8, _I8, _I8, _I8), Controls)
EVENT = types.NamedTuple((_I8, _F8), Event)
RECORD = types.NamedTuple((_V8, types.float64[:, ::1], _VI, _V8, _VI), Record)
PLAN = types.NamedTuple((_V8, types.float64[:, ::1], _F8, _F8, _VI, _VI, _VI, _V8, _V8, _V8), Plan)
_JIT = dict(cache=True, error_model="numpy")


@njit(**_JIT)
def lu_factor(a, piv):
    """In-place LU factorisation with partial pivoting of the square ``a``."""
    n = a.shape[0]
    for k in range(n):
        imax = k
        vmax = abs(a[k, k])
        for i in range(k + 1, n):
            if abs(a[i, k]) > vmax:
                vmax = abs(a[i, k])
                imax = i
        piv[k] = imax
        if imax != k:
            for j in range(n):
                tmp = a[k, j]
                a[k, j] = a[imax, j]
                a[imax, j] = tmp
        akk = a[k, k]
        if akk == 0.0:
            continue
        for i in range(k + 1, n):
            a[i, k] /= akk
            lik = a[i, k]
            if lik != 0.0:
                for j in range(k + 1, n):
                    a[i, j] -= lik * a[k, j]


@njit(**_JIT)
def lu_solve(a, piv, b):
    """Solve in place ``a x = b`` with the factors from ``lu_factor``."""
    n = a.shape[0]
    for k in range(n):
        i = piv[k]
        if i != k:
            tmp = b[k]
            b[k] = b[i]
            b[i] = tmp
    for i in range(n):
        s = b[i]
        for j in range(i):
            s -= a[i, j] * b[j]
        b[i] = s
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= a[i, j] * b[j]
        b[i] = s / a[i, i]


@njit(**_JIT)
def jacobian(rhs, y, p, f0, jac, ytmp, ftmp, floors, n_dyn):
    """Forward-difference Jacobian of ``rhs`` at ``y`` (``f0`` = rhs(y)); the
    columns of quadrature states are zero and not computed."""
    n = y.shape[0]
    for j in range(n):
        ytmp[j] = y[j]
    for j in range(n_dyn):
        scale = max(abs(y[j]), floors[j])
        d = 1.4901161193847656e-08 * scale
        if d == 0.0:
            d = 1e-10
        yj = ytmp[j]
        ytmp[j] = yj + d
        d = ytmp[j] - yj
        rhs(ytmp.ctypes.data, p.ctypes.data, ftmp.ctypes.data)
        for i in range(n):
            jac[i, j] = (ftmp[i] - f0[i]) / d
        ytmp[j] = yj


@njit(**_JIT)
def stage_solve(lu, piv, jac, b, hg, n_dyn):
    """Solve (I/hg - J) k = b in place: LU for the dynamic block, then the
    quadrature rows k_q = hg (b_q + J_qy k_y)."""
    lu_solve(lu, piv, b[:n_dyn])
    for i in range(n_dyn, b.shape[0]):
        s = b[i]
        for j in range(n_dyn):
            s += jac[i, j] * b[j]
        b[i] = hg * s


@njit(**_JIT)
def growth_bound(jac, n_dyn):
    """Gershgorin bound (1/ms) on the real parts of the eigenvalues of the
    dynamic block: the smaller of the row and the column bounds."""
    rows = -np.inf
    cols = -np.inf
    for i in range(n_dyn):
        r = jac[i, i]
        c = jac[i, i]
        for j in range(n_dyn):
            if j != i:
                r += abs(jac[i, j])
                c += abs(jac[j, i])
        rows = max(rows, r)
        cols = max(cols, c)
    return min(rows, cols)


@njit(**_JIT)
def growth_rate(jac, work, n_dyn):
    """Largest real part (1/ms) of the eigenvalues of the dynamic block of
    ``jac``, 0 when none stands out of the round-off of the zero modes."""
    for i in range(n_dyn):
        for j in range(n_dyn):
            v = jac[i, j]
            if not math.isfinite(v):
                return 0.0
            work[i, j] = v
    ev = np.linalg.eigvals(work)
    rate = -np.inf
    size = 0.0
    for k in range(n_dyn):
        rate = max(rate, ev[k].real)
        size = max(size, abs(ev[k]))
    # conservation laws make exact zero eigenvalues; the finite-difference
    # Jacobian blurs them by ~1e-7 of the spectrum, which is no growth
    return rate if rate > 1e-6 * size else 0.0


@njit(**_JIT)
def first_step(rhs, y, p, f0, h, atol, rtol, n_dyn, ytmp, ftmp):
    """The first step after a protocol edge, where the rates may have jumped
    (a pulse's onset): at most ``h`` (the step the last segment ended with)
    and at most what the new rates allow, by Hairer, Norsett & Wanner's
    starting-step estimate (Solving ODEs I, 2nd ed., section II.4, with the
    order 4): 0.01 of y's size over the rate's, and a step whose second
    derivative keeps the error near 0.01, both in the error norm.  One
    right-hand side call instead of the rejected steps that shrink a long
    step to the pulse (about four per edge)."""
    d0 = 0.0
    d1 = 0.0
    for i in range(n_dyn):
        sc = atol[i] + rtol * abs(y[i])
        d0 += (y[i] / sc) ** 2
        d1 += (f0[i] / sc) ** 2
    d0 = math.sqrt(d0 / n_dyn)
    d1 = math.sqrt(d1 / n_dyn)
    h0 = 0.01 * d0 / d1 if d0 > 1e-5 and d1 > 1e-5 else 1e-6
    h0 = min(h0, h)
    for i in range(y.shape[0]):
        ytmp[i] = y[i] + h0 * f0[i]
    rhs(ytmp.ctypes.data, p.ctypes.data, ftmp.ctypes.data)
    d2 = 0.0
    for i in range(n_dyn):
        sc = atol[i] + rtol * abs(y[i])
        d2 += ((ftmp[i] - f0[i]) / sc) ** 2
    d2 = math.sqrt(d2 / n_dyn) / h0
    big = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if big <= 1e-15 else (0.01 / big) ** 0.2
    return min(h, 100.0 * h0, h1)


@njit(**_JIT)
def dense(y0, y1, kd1, kd2, theta, out):
    """Rodas4 dense output at fraction ``theta`` of the step."""
    t1 = 1.0 - theta
    for i in range(y0.shape[0]):
        out[i] = t1 * y0[i] + theta * (y1[i] + t1 * (kd1[i] + theta * kd2[i]))


@njit(types.Tuple((_F8, _I8, _I8, _I8))(RHS, JAC, _V8, _V8, _F8, _F8, _F8, _F8, CONTROLS, EVENT, RECORD,
                                        _I8, _I8, _V8), **_JIT)
def integrate(rhs, jac_fn, y, p, t0, t1, h, hmax, ctl, event, rec, kout, nspk, grow):
    """Advance ``y`` in place from ``t0`` to ``t1`` (ms) with parameters ``p``.

    rhs : the model's right-hand side; jac_fn : its Jacobian (used when
        ``ctl.exact_jac``); h : first trial step (ms), or minus the most it
        may be at a protocol edge (``first_step`` sizes it for the new
        rates); hmax : the largest step (ms).
    ctl : ``Controls``; event : ``Event`` (its crossings are stored in
        ``rec.events`` from index ``nspk``); rec : ``Record``: outputs at
        t0 < tout <= t1 are filled from index ``kout`` (``tout == t0`` too
        when kout points at it); grow : the growth check's state, [the
        longest step that follows a growing mode (ms, inf: none), the step
        of the last check (ms), steps since it], read and written back, so
        that a run in chunks checks as often as one in a piece.
    Returns (h_next, kout, nspk, status).
    """
    n = y.shape[0]
    n_dyn = ctl.n_dyn
    rtol = ctl.rtol
    atol = ctl.atol
    max_steps = ctl.max_steps
    i_still = ctl.i_still
    iv = event.index
    vthr = event.threshold
    tout = rec.tout
    yout = rec.yout
    spikes = rec.events
    stats = rec.stats
    f0 = np.empty(n)
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    k5 = np.empty(n)
    k6 = np.empty(n)
    yst = np.empty(n)
    ynew = np.empty(n)
    ftmp = np.empty(n)
    kd1 = np.empty(n)
    kd2 = np.empty(n)
    ydense = np.empty(n)
    jac = np.zeros((n, n_dyn))
    lu = np.empty((n_dyn, n_dyn))
    piv = np.empty(n_dyn, dtype=np.int64)
    eigwork = np.empty((n_dyn, n_dyn), dtype=np.complex128)
    nout = tout.shape[0]
    a_y, a_p, a_f0 = y.ctypes.data, p.ctypes.data, f0.ctypes.data  # the model takes data addresses
    a_yst, a_ftmp, a_jac = yst.ctypes.data, ftmp.ctypes.data, jac.ctypes.data

    t = t0
    while kout < nout and tout[kout] <= t0:
        if tout[kout] == t0:
            for i in range(n):
                yout[kout, i] = y[i]
        kout += 1
    if t1 <= t0:
        return abs(h), kout, nspk, STATUS_DONE

    rhs(a_y, a_p, a_f0)
    stats[2] += 1
    if h < 0.0:
        h = first_step(rhs, y, p, f0, -h, atol, rtol, n_dyn, yst, ftmp)
        stats[2] += 1
    fresh_jac = False
    rejected_last = False
    h_acc = 0.0
    err_acc = 1.0
    steps = 0
    hmin = 1e-14 * max(1.0, abs(t1))
    h_growth = grow[0]    # longest step that still follows a growing mode
    h_checked = grow[1]
    since_check = int(grow[2])
    while t < t1:
        if steps >= max_steps:
            grow[0], grow[1], grow[2] = h_growth, h_checked, since_check
            return h, kout, nspk, STATUS_MAX_STEPS
        if not fresh_jac:
            if ctl.exact_jac:
                jac_fn(a_y, a_p, a_jac)
            else:
                jacobian(rhs, y, p, f0, jac, yst, ftmp, ctl.floors, n_dyn)
                stats[2] += n_dyn
            stats[3] += 1
            fresh_jac = True
            since_check += 1
            h = min(h, hmax)
            bound = growth_bound(jac, n_dyn)
            if h * bound <= 1.0:
                h_growth = np.inf  # no mode can outgrow this step
            elif abs(f0[i_still]) * h < 0.1 and (
                    (since_check >= 20 or h > 2.0 * h_checked) if h_growth < np.inf
                    else (since_check >= 50 or h > 8.0 * h_checked)):
                rate = growth_rate(jac, eigwork, n_dyn)
                h_growth = 1.0 / rate if rate > 0.0 else np.inf
                h_checked = h
                since_check = 0
        h = min(h, hmax, h_growth)
        last = t + 1.01 * h >= t1
        if last:
            h = t1 - t
        if h < hmin:
            if t1 - t < hmin:
                break
            grow[0], grow[1], grow[2] = h_growth, h_checked, since_check
            return h, kout, nspk, STATUS_STEP_TOO_SMALL
        fac = 1.0 / (h * GAMMA)
        hg = h * GAMMA
        for i in range(n_dyn):
            for j in range(n_dyn):
                lu[i, j] = -jac[i, j]
            lu[i, i] += fac
        lu_factor(lu, piv)

        for i in range(n):
            k1[i] = f0[i]
        stage_solve(lu, piv, jac, k1, hg, n_dyn)

        for i in range(n):
            yst[i] = y[i] + A21 * k1[i]
        rhs(a_yst, a_p, a_ftmp)
        for i in range(n):
            k2[i] = ftmp[i] + C21 * k1[i] / h
        stage_solve(lu, piv, jac, k2, hg, n_dyn)

        for i in range(n):
            yst[i] = y[i] + A31 * k1[i] + A32 * k2[i]
        rhs(a_yst, a_p, a_ftmp)
        for i in range(n):
            k3[i] = ftmp[i] + (C31 * k1[i] + C32 * k2[i]) / h
        stage_solve(lu, piv, jac, k3, hg, n_dyn)

        for i in range(n):
            yst[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i]
        rhs(a_yst, a_p, a_ftmp)
        for i in range(n):
            k4[i] = ftmp[i] + (C41 * k1[i] + C42 * k2[i] + C43 * k3[i]) / h
        stage_solve(lu, piv, jac, k4, hg, n_dyn)

        for i in range(n):
            yst[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]
        rhs(a_yst, a_p, a_ftmp)
        for i in range(n):
            k5[i] = ftmp[i] + (C51 * k1[i] + C52 * k2[i] + C53 * k3[i] + C54 * k4[i]) / h
        stage_solve(lu, piv, jac, k5, hg, n_dyn)

        for i in range(n):
            yst[i] = yst[i] + k5[i]
        rhs(a_yst, a_p, a_ftmp)
        for i in range(n):
            k6[i] = ftmp[i] + (C61 * k1[i] + C62 * k2[i] + C63 * k3[i] + C64 * k4[i]
                               + C65 * k5[i]) / h
        stage_solve(lu, piv, jac, k6, hg, n_dyn)
        stats[2] += 5

        err = 0.0
        finite = True
        for i in range(n):
            ynew[i] = yst[i] + k6[i]
            if not math.isfinite(ynew[i]):
                finite = False
        for i in range(n_dyn):
            sc = atol[i] + rtol * max(abs(y[i]), abs(ynew[i]))
            e = k6[i] / sc
            err += e * e
        err = math.sqrt(err / n_dyn)
        steps += 1
        if not finite or not math.isfinite(err):
            h *= 0.25
            stats[1] += 1
            rejected_last = True
            continue
        # step-size factor (Hairer & Wanner's RODAS: safety 0.9, bounds 1/6 and 5)
        fac = min(5.0, max(1.0 / 6.0, 0.9 * max(err, 1e-10) ** -0.25))
        if err > 1.0:
            h *= fac
            stats[1] += 1
            rejected_last = True
            continue
        if h_acc > 0.0:
            # Gustafsson's predictive controller: fewer rejections where errors grow
            gus = h / h_acc * (max(err, 1e-10) ** 2 / err_acc) ** -0.25 * 0.9
            fac = min(fac, min(5.0, max(1.0 / 6.0, gus)))
        h_acc = h
        err_acc = max(1e-2, err)

        stats[0] += 1
        tnew = t1 if last else t + h
        if kout < nout and tout[kout] <= tnew or (y[iv] < vthr <= ynew[iv]):
            for i in range(n):
                kd1[i] = H21 * k1[i] + H22 * k2[i] + H23 * k3[i] + H24 * k4[i] + H25 * k5[i]
                kd2[i] = H31 * k1[i] + H32 * k2[i] + H33 * k3[i] + H34 * k4[i] + H35 * k5[i]
            while kout < nout and tout[kout] <= tnew:
                if tout[kout] == tnew:
                    for i in range(n):
                        yout[kout, i] = ynew[i]
                else:
                    dense(y, ynew, kd1, kd2, (tout[kout] - t) / h, ydense)
                    for i in range(n):
                        yout[kout, i] = ydense[i]
                kout += 1
            if y[iv] < vthr <= ynew[iv] and nspk < spikes.shape[0]:
                lo = 0.0
                hi = 1.0
                for _ in range(60):
                    mid = 0.5 * (lo + hi)
                    dense(y, ynew, kd1, kd2, mid, ydense)
                    if ydense[iv] < vthr:
                        lo = mid
                    else:
                        hi = mid
                spikes[nspk] = t + hi * h
                nspk += 1
        for i in range(n):
            y[i] = ynew[i]
        t = tnew
        rhs(a_y, a_p, a_f0)
        stats[2] += 1
        fresh_jac = False
        h_done = h
        h *= fac
        if rejected_last:
            h = min(h, h_done)
        rejected_last = False
    while kout < nout and tout[kout] <= t1:  # only after a final sliver below round-off
        for i in range(n):
            yout[kout, i] = y[i]
        kout += 1
    grow[0], grow[1], grow[2] = h_growth, h_checked, since_check
    return h, kout, nspk, STATUS_DONE


@njit(types.void(RHS, JAC, _V8, PLAN, CONTROLS, EVENT, RECORD, _VI, _V8, _F8), **_JIT)
def advance(rhs, jac_fn, y, plan, ctl, event, rec, pos, tf, until):
    """Integrate ``y`` through the segments of ``plan`` from the cursor to model
    time ``until`` (ms) or the end, whichever comes first.

    The cursor: ``pos`` = [segment, next output row, events so far, status,
    next concentration change], ``tf`` = [t (ms), next trial step (ms), the
    growth check's state (``integrate``'s ``grow``, 3 numbers; reset at
    each protocol edge)]; both are updated in place, so calls continue each
    other.  Within a
    segment the run goes in chunks that end on multiples of ``plan.chunk``
    ms (no step crosses one), so the steps depend on the protocol and not on
    how long the run is or where a call stops; a status other than 0 stops it
    (3: the event buffer is full; grow it and call again).
    """
    n_seg = plan.edges.shape[0] - 1
    while pos[0] < n_seg:
        si = pos[0]
        t1 = plan.edges[si + 1]
        while pos[4] < plan.reset_segment.shape[0] and plan.reset_segment[pos[4]] == si:
            k = pos[4]
            j = plan.reset_state[k]
            w = y[plan.reset_volume_state[k]] if plan.reset_volume_state[k] >= 0 else plan.reset_volume[k]
            new = plan.reset_value[k] * w
            plan.exchanged[k] = new - y[j]
            y[j] = new
            pos[4] += 1
        p = plan.P[si]
        chunk = plan.chunk
        ta = tf[0]
        while ta < t1:
            if ta >= until:
                return
            if pos[2] >= rec.events.shape[0] - 1:
                pos[3] = STATUS_EVENTS_FULL
                return
            tb = (math.floor(ta / chunk) + 1.0) * chunk  # chunks on a fixed grid of model time
            if tb - ta < 1e-9 * chunk:
                tb += chunk
            if t1 - tb < 1e-9 * chunk:
                tb = t1
            tb = min(t1, tb)
            hmax = tb - ta if plan.max_step <= 0.0 else min(plan.max_step, tb - ta)
            k_start = pos[1]
            h_try = tf[1]
            if ta == plan.edges[si]:  # a protocol edge: new rates, so no growth check holds across it
                tf[2], tf[3], tf[4] = np.inf, 0.0, 10.0
                if si > 0:
                    h_try = -tf[1]  # < 0: size the first step for the new rates
            h, kout, nspk, status = integrate(rhs, jac_fn, y, p, ta, tb, h_try, hmax if hmax > 0 else 1.0,
                                              ctl, event, rec, pos[1], pos[2], tf[2:5])
            for k in range(k_start, kout):
                rec.segment[k] = si
            pos[1] = kout
            pos[2] = nspk
            tf[1] = h
            if status != 0:
                pos[3] = status
                return
            ta = tb
            tf[0] = tb
        pos[0] += 1

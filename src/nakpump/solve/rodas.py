"""Rodas4: an L-stable, stiffly accurate Rosenbrock method of order 4(3) with
step-size control and a third-order dense output.

Coefficients: Hairer E, Wanner G (1996) Solving Ordinary Differential
Equations II, 2nd ed., Springer, section IV.7, Table 7.2 (RODAS, gamma = 1/4)
and the dense-output coefficients of their code RODAS.

Why a Rosenbrock method: the stages are linear solves with the Jacobian, so
every linear invariant of the right-hand side (each ion's total amount, and
membrane charge against ions moved) is kept to round-off at every step and in
the dense output; no Newton iteration can leave a residual in them.

This module is a *template*: ``nakpump.system`` pastes its source into the
module it generates for a cell, after which ``rhs``, ``NWORK`` and ``JFLOOR``
are that cell's compiled right-hand side, work-array size and
finite-difference scales, and every function here
is compiled with Numba and cached on disk.  The right-hand side is autonomous
between protocol edges (stimuli are parameters), so no time derivative enters.

Unstable states.  An L-stable method damps every mode once h |lambda| is
large, the growing ones too: with long steps it can sit on an unstable
equilibrium (e.g. the depolarisation block of a spreading depression, an
unstable focus growing at ~1/ms) where the true solution leaves it, and
the error estimate, near zero at an equilibrium, does not object.  So when
a step is long enough for that to matter (h times a Gershgorin bound on the
spectrum above 1) while V is nearly still (|dV/dt| h below 0.1 mV), the
rightmost eigenvalue of the Jacobian is computed, and h is kept below
1/Re(lambda) while a mode grows.  The check is repeated after 20 steps or
when h has doubled while a mode grows, after 50 steps or an 8-fold h when
none did (an eigenvalue decomposition costs about as much as a step).
"""

import math

import numpy as np

GAMMA = 0.25
A21 = 1.544
A31, A32 = 0.9466785280815826, 0.2557011698983284
A41, A42, A43 = 3.314825187068521, 2.896124015972201, 0.9986419139977817
A51, A52, A53, A54 = 1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950
C21 = -5.6688
C31, C32 = -2.430093356833875, -0.2063599157091915
C41, C42, C43 = -0.1073529058151375, -9.594562251023355, -20.47028614809616
C51, C52, C53, C54 = 7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160
C61, C62, C63, C64, C65 = (8.083246795921522, -7.981132988064893, -31.52159432874371,
                           16.31930543123136, -6.058818238834054)
H21, H22, H23, H24, H25 = (10.12623508344586, -7.487995877610167, -34.80091861555747,
                           -7.992771707568823, 1.025137723295662)
H31, H32, H33, H34, H35 = (-0.6762803392801253, 6.087714651680015, 16.43084320892478,
                           24.76722511418386, -6.594389125716872)

STATUS_DONE = 0
STATUS_STEP_TOO_SMALL = 1
STATUS_MAX_STEPS = 2

NWORK = 1
JFLOOR = np.ones(1)
"""Smallest magnitude used to size each state's finite-difference increment."""
NDYN = 1
"""States [0, NDYN) are dynamic; those after are quadratures (running totals
that nothing depends on, for the ledger): their Jacobian columns are zero, so
they are solved explicitly from the dynamic block and left out of the error
norm, at almost no cost."""


def rhs(y, p, w, dy):  # replaced by the generated module's right-hand side
    dy[:] = 0.0


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


def jacobian(y, p, w, f0, jac, ytmp, ftmp):
    """Forward-difference Jacobian of ``rhs`` at ``y`` (``f0`` = rhs(y)); the
    columns of quadrature states are zero and not computed."""
    n = y.shape[0]
    for j in range(n):
        ytmp[j] = y[j]
    for j in range(NDYN):
        scale = max(abs(y[j]), JFLOOR[j])
        d = 1.4901161193847656e-08 * scale
        if d == 0.0:
            d = 1e-10
        yj = ytmp[j]
        ytmp[j] = yj + d
        d = ytmp[j] - yj
        rhs(ytmp, p, w, ftmp)
        for i in range(n):
            jac[i, j] = (ftmp[i] - f0[i]) / d
        ytmp[j] = yj


def stage_solve(lu, piv, jac, b, hg):
    """Solve (I/hg - J) k = b in place: LU for the dynamic block, then the
    quadrature rows k_q = hg (b_q + J_qy k_y)."""
    lu_solve(lu, piv, b[:NDYN])
    for i in range(NDYN, b.shape[0]):
        s = b[i]
        for j in range(NDYN):
            s += jac[i, j] * b[j]
        b[i] = hg * s


def growth_bound(jac):
    """Gershgorin bound (1/ms) on the real parts of the eigenvalues of the
    dynamic block: the smaller of the row and the column bounds."""
    rows = -np.inf
    cols = -np.inf
    for i in range(NDYN):
        r = jac[i, i]
        c = jac[i, i]
        for j in range(NDYN):
            if j != i:
                r += abs(jac[i, j])
                c += abs(jac[j, i])
        rows = max(rows, r)
        cols = max(cols, c)
    return min(rows, cols)


def growth_rate(jac, work):
    """Largest real part (1/ms) of the eigenvalues of the dynamic block of
    ``jac``, 0 when none stands out of the round-off of the zero modes."""
    for i in range(NDYN):
        for j in range(NDYN):
            v = jac[i, j]
            if not math.isfinite(v):
                return 0.0
            work[i, j] = v
    ev = np.linalg.eigvals(work)
    rate = -np.inf
    size = 0.0
    for k in range(NDYN):
        rate = max(rate, ev[k].real)
        size = max(size, abs(ev[k]))
    # conservation laws make exact zero eigenvalues; the finite-difference
    # Jacobian blurs them by ~1e-7 of the spectrum, which is no growth
    return rate if rate > 1e-6 * size else 0.0


def dense(y0, y1, kd1, kd2, theta, out):
    """Rodas4 dense output at fraction ``theta`` of the step."""
    t1 = 1.0 - theta
    for i in range(y0.shape[0]):
        out[i] = t1 * y0[i] + theta * (y1[i] + t1 * (kd1[i] + theta * kd2[i]))


def integrate(y, p, t0, t1, h, hmax, rtol, atol, tout, yout, kout, vthr, spikes, nspk,
              max_steps, stats):
    """Advance ``y`` in place from ``t0`` to ``t1`` (ms) with parameters ``p``.

    h : first trial step (ms); hmax : largest step.
    tout, yout, kout : output times, their rows, and the index of the next
        output to fill (outputs at t0 < tout <= t1 are filled; ``tout == t0``
        too when kout points at it).
    vthr, spikes, nspk : upward crossings of y[0] through ``vthr`` (mV) are
        located on the dense output and stored in ``spikes`` from index nspk.
    stats : int64 counters, added to: steps, rejected, rhs calls, jacobians.
    Returns (h_next, kout, nspk, status).
    """
    n = y.shape[0]
    w = np.empty(NWORK)
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
    jac = np.zeros((n, NDYN))
    lu = np.empty((NDYN, NDYN))
    piv = np.empty(NDYN, dtype=np.int64)
    eigwork = np.empty((NDYN, NDYN), dtype=np.complex128)
    nout = tout.shape[0]

    t = t0
    while kout < nout and tout[kout] <= t0:
        if tout[kout] == t0:
            for i in range(n):
                yout[kout, i] = y[i]
        kout += 1
    if t1 <= t0:
        return h, kout, nspk, STATUS_DONE

    rhs(y, p, w, f0)
    stats[2] += 1
    fresh_jac = False
    rejected_last = False
    h_acc = 0.0
    err_acc = 1.0
    steps = 0
    hmin = 1e-14 * max(1.0, abs(t1))
    h_growth = np.inf     # longest step that still follows a growing mode
    h_checked = 0.0
    since_check = 10
    while t < t1:
        if steps >= max_steps:
            return h, kout, nspk, STATUS_MAX_STEPS
        if not fresh_jac:
            jacobian(y, p, w, f0, jac, yst, ftmp)
            stats[2] += NDYN
            stats[3] += 1
            fresh_jac = True
            since_check += 1
            h = min(h, hmax)
            bound = growth_bound(jac)
            if h * bound <= 1.0:
                h_growth = np.inf  # no mode can outgrow this step
            elif abs(f0[0]) * h < 0.1 and (
                    (since_check >= 20 or h > 2.0 * h_checked) if h_growth < np.inf
                    else (since_check >= 50 or h > 8.0 * h_checked)):
                rate = growth_rate(jac, eigwork)
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
            return h, kout, nspk, STATUS_STEP_TOO_SMALL
        fac = 1.0 / (h * GAMMA)
        hg = h * GAMMA
        for i in range(NDYN):
            for j in range(NDYN):
                lu[i, j] = -jac[i, j]
            lu[i, i] += fac
        lu_factor(lu, piv)

        for i in range(n):
            k1[i] = f0[i]
        stage_solve(lu, piv, jac, k1, hg)

        for i in range(n):
            yst[i] = y[i] + A21 * k1[i]
        rhs(yst, p, w, ftmp)
        for i in range(n):
            k2[i] = ftmp[i] + C21 * k1[i] / h
        stage_solve(lu, piv, jac, k2, hg)

        for i in range(n):
            yst[i] = y[i] + A31 * k1[i] + A32 * k2[i]
        rhs(yst, p, w, ftmp)
        for i in range(n):
            k3[i] = ftmp[i] + (C31 * k1[i] + C32 * k2[i]) / h
        stage_solve(lu, piv, jac, k3, hg)

        for i in range(n):
            yst[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i]
        rhs(yst, p, w, ftmp)
        for i in range(n):
            k4[i] = ftmp[i] + (C41 * k1[i] + C42 * k2[i] + C43 * k3[i]) / h
        stage_solve(lu, piv, jac, k4, hg)

        for i in range(n):
            yst[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]
        rhs(yst, p, w, ftmp)
        for i in range(n):
            k5[i] = ftmp[i] + (C51 * k1[i] + C52 * k2[i] + C53 * k3[i] + C54 * k4[i]) / h
        stage_solve(lu, piv, jac, k5, hg)

        for i in range(n):
            yst[i] = yst[i] + k5[i]
        rhs(yst, p, w, ftmp)
        for i in range(n):
            k6[i] = ftmp[i] + (C61 * k1[i] + C62 * k2[i] + C63 * k3[i] + C64 * k4[i]
                               + C65 * k5[i]) / h
        stage_solve(lu, piv, jac, k6, hg)
        stats[2] += 5

        err = 0.0
        finite = True
        for i in range(n):
            ynew[i] = yst[i] + k6[i]
            if not math.isfinite(ynew[i]):
                finite = False
        for i in range(NDYN):
            sc = atol[i] + rtol * max(abs(y[i]), abs(ynew[i]))
            e = k6[i] / sc
            err += e * e
        err = math.sqrt(err / NDYN)
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
        if kout < nout and tout[kout] <= tnew or (y[0] < vthr <= ynew[0]):
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
            if y[0] < vthr <= ynew[0] and nspk < spikes.shape[0]:
                lo = 0.0
                hi = 1.0
                for _ in range(60):
                    mid = 0.5 * (lo + hi)
                    dense(y, ynew, kd1, kd2, mid, ydense)
                    if ydense[0] < vthr:
                        lo = mid
                    else:
                        hi = mid
                spikes[nspk] = t + hi * h
                nspk += 1
        for i in range(n):
            y[i] = ynew[i]
        t = tnew
        rhs(y, p, w, f0)
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
    return h, kout, nspk, STATUS_DONE

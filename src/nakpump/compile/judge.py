"""What a Rodas4 driver does with a step it has taken, as LLVM IR: shared by
the single-cell driver (``nakpump.compile.driver``) and the population's
(``nakpump.compile.lanes``), so that both judge and use a step alike.

Each function emits code with ``e`` (``emit.Emit``) for one cell, reading
the step's output through ``out(k)`` (an IR value: entry k of the step's
``out``, ``stepper`` module docstring) and keeping the cell's controller in
the stack slots ``v[name]``:

    h, t (ms)              the step just taken, from t
    last                   1 where the step ends the chunk (at t1)
    fresh                  1 once the growth check has seen this state
    since, hgrowth, hchecked   the growth check: steps since, step cap (ms),
                           step at the last eigenvalues (ms)
    steps, rejlast         attempts in this chunk; 1 after a rejection
    hacc, erracc           the last accepted step and its error (Gustafsson)
    kout, nspk             output rows and spikes written

``s`` holds the cell's arrays and scalars (``driver.slots``).
"""

from __future__ import annotations

from .eigen import rightmost
from .stepper import MAX_MULTIPLIER

__all__ = ["growth_check", "judge", "use_step"]


def growth_check(e, s, v, out, jac, a_y, a_p, n: int, n_dyn: int, retry) -> None:
    """Once per state: where a step of h could outgrow a mode (h times the Gershgorin bound above 1)
    and the potential is still, every so often, the dynamic block's growth rate from its
    eigenvalues caps the step at 1/rate; a step longer than the cap is taken again (``retry()``
    emits the jump back)."""
    b = e.b
    fabs = e.f.module.get_global("llvm.fabs.f64")
    inf = e.f64(float("inf"))
    h = e.get(v["h"])
    with e.when(e.cmp("==", e.get(v["fresh"]), e.i64(0))):
        e.put(e.i64(1), v["fresh"])
        e.put(b.fadd(e.get(v["since"]), e.f64(1.0)), v["since"])
        with e.if_else_(e.cmp("<=", b.fmul(h, out(3 * n + 2)), e.f64(1.0))) as (then, other):
            with then:
                e.put(inf, v["hgrowth"])
            with other:
                since, checked = e.get(v["since"]), e.get(v["hchecked"])
                still = e.cmp("<", b.fmul(b.call(fabs, [out(3 * n + 3)]), h), e.f64(0.1))
                growing = e.cmp("<", e.get(v["hgrowth"]), inf)
                due_g = b.or_(e.cmp(">=", since, e.f64(20.0)), e.cmp(">", h, b.fmul(e.f64(2.0), checked)))
                due_n = b.or_(e.cmp(">=", since, e.f64(50.0)), e.cmp(">", h, b.fmul(e.f64(8.0), checked)))
                due = b.and_(b.and_(still, b.select(growing, due_g, due_n)),
                             e.cmp("!=", s["growth_check"], e.i64(0)))
                with e.when(due):
                    with e.range(0, n * n_dyn) as i:
                        e.put(e.f64(0.0), jac, i)
                    e.call("jac", a_y, a_p, e.addr(jac))
                    rate = rightmost(e, jac, n_dyn)
                    e.put(b.select(e.cmp(">", rate, e.f64(0.0)), b.fdiv(e.f64(1.0), rate), inf), v["hgrowth"])
                    e.put(h, v["hchecked"])
                    e.put(e.f64(0.0), v["since"])
        with e.when(e.cmp(">", h, e.get(v["hgrowth"]))):
            retry()  # taken again, no longer than a growing mode allows


def judge(e, s, v, out, n: int, retry):
    """Accept or reject the step: a non-finite state or error, or an LU multiplier above
    ``MAX_MULTIPLIER``, quarters h; an error norm above 1 shrinks it by the controller's factor;
    either way ``retry()``.  An accepted step updates Gustafsson's predictive controller.  Returns
    the stack slot of the factor for the next step."""
    b = e.b
    fabs = e.f.module.get_global("llvm.fabs.f64")
    pow_ = e.f.module.get_global("llvm.pow.f64")
    inf = e.f64(float("inf"))
    stats = s["stats"]
    h = e.get(v["h"])

    def reject(new_h):
        e.put(new_h, v["h"])
        e.put(b.add(e.get(stats, 1), e.i64(1)), stats, 1)
        e.put(e.i64(1), v["rejlast"])
        retry()

    err = out(3 * n)
    e.put(b.add(e.get(v["steps"]), e.i64(1)), v["steps"])
    ok = e.var(e.I, b.zext(b.and_(e.cmp("<", b.call(fabs, [err]), inf),
                                  e.cmp("<=", out(3 * n + 1), e.f64(MAX_MULTIPLIER))), e.I))
    with e.range(0, n) as i:
        with e.when(b.not_(e.cmp("<", b.call(fabs, [out(i)]), inf))):
            e.put(e.i64(0), ok)
    with e.when(e.cmp("==", e.get(ok), e.i64(0))):
        reject(b.fmul(h, e.f64(0.25)))
    clipped = e.fmax(err, e.f64(1e-10))
    fac = e.var(e.D, e.fmin(e.f64(5.0), e.fmax(e.f64(1.0 / 6.0), b.fmul(
        e.f64(0.9), b.call(pow_, [clipped, e.f64(-0.25)])))))
    with e.when(e.cmp(">", err, e.f64(1.0))):
        reject(b.fmul(h, e.get(fac)))
    hacc = e.get(v["hacc"])
    with e.when(e.cmp(">", hacc, e.f64(0.0))):  # Gustafsson's predictive controller
        ratio = b.fdiv(b.fmul(clipped, clipped), e.get(v["erracc"]))
        gus = b.fmul(b.fmul(b.fdiv(h, hacc), b.call(pow_, [ratio, e.f64(-0.25)])), e.f64(0.9))
        e.put(e.fmin(e.get(fac), e.fmin(e.f64(5.0), e.fmax(e.f64(1.0 / 6.0), gus))), fac)
    e.put(h, v["hacc"])
    e.put(e.fmax(e.f64(1e-2), err), v["erracc"])
    e.put(b.add(e.get(stats, 0), e.i64(1)), stats, 0)
    return fac


def use_step(e, s, v, out, fac, t1, n: int) -> None:
    """The accepted step's output rows (at ``tout`` within it, from the dense output), its spike
    (the threshold crossing, bisected on the dense output; counted in ``nspk`` even where the
    events have no more room), the new state and time, and the next step: h times the
    controller's factor ``fac``, not longer than this one after a rejection."""
    b = e.b
    y, tout, yout, events, iv, vthr = s["y"], s["tout"], s["yout"], s["events"], s["iv"], s["vthr"]
    h, t = e.get(v["h"]), e.get(v["t"])
    tnew = e.var(e.D, b.select(e.cmp("!=", e.get(v["last"]), e.i64(0)), t1, b.fadd(t, h)))

    def dense_at(theta, i):
        t_1 = b.fsub(e.f64(1.0), theta)
        inner = b.fadd(out(b.add(i, e.i64(n))), b.fmul(theta, out(b.add(i, e.i64(2 * n)))))
        return b.fadd(b.fmul(t_1, e.get(y, i)), b.fmul(theta, b.fadd(out(i), b.fmul(t_1, inner))))

    with e.loop(lambda: b.and_(e.cmp("<", e.get(v["kout"]), s["nout"]),
                               e.cmp("<=", e.get(tout, e.get(v["kout"])), e.get(tnew)))):
        kout = e.get(v["kout"])
        tk = e.get(tout, kout)
        row = b.mul(kout, e.i64(n))
        with e.if_else_(e.cmp("==", tk, e.get(tnew))) as (then, other):
            with then:
                with e.range(0, n) as i:
                    e.put(out(i), yout, b.add(row, i))
            with other:
                theta = b.fdiv(b.fsub(tk, t), h)
                with e.range(0, n) as i:
                    e.put(dense_at(theta, i), yout, b.add(row, i))
        e.put(b.add(kout, e.i64(1)), v["kout"])
    crossed = b.and_(e.cmp("<", e.get(y, iv), vthr), e.cmp("<=", vthr, out(iv)))
    with e.when(crossed):  # counted always, kept while there is room
        nspk = e.get(v["nspk"])
        with e.when(e.cmp("<", nspk, s["events_cap"])):
            lo = e.var(e.D, e.f64(0.0))
            hi = e.var(e.D, e.f64(1.0))
            with e.range(0, 60):
                mid = b.fmul(e.f64(0.5), b.fadd(e.get(lo), e.get(hi)))
                below = e.cmp("<", dense_at(mid, iv), vthr)
                e.put(b.select(below, mid, e.get(lo)), lo)
                e.put(b.select(below, e.get(hi), mid), hi)
            e.put(b.fadd(t, b.fmul(e.get(hi), h)), events, nspk)
        e.put(b.add(nspk, e.i64(1)), v["nspk"])
    with e.range(0, n) as i:
        e.put(out(i), y, i)
    e.put(e.get(tnew), v["t"])
    e.put(e.i64(0), v["fresh"])
    grown = b.fmul(h, e.get(fac))
    e.put(b.select(e.cmp("!=", e.get(v["rejlast"]), e.i64(0)), e.fmin(grown, h), grown), v["h"])
    e.put(e.i64(0), v["rejlast"])

"""A chunk of one cell's integration, as LLVM IR: how a Rodas4 driver begins
a chunk, sizes each step, judges and uses the step it took, and ends the
chunk.  Shared by the single-cell driver (``nakpump.compile.driver``) and
the population's (``nakpump.compile.lanes``), so that both do all of it
alike.

Each function emits code with ``e`` (``emit.Emit``) for one cell, reading
the step's output through ``out(k)`` (an IR value: entry k of the step's
``out``, ``stepper`` module docstring) and keeping the cell's controller in
the stack slots ``v[name]``:

    h, t (ms)              the step (just taken, or to take), from t
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

__all__ = ["CONTROLLER", "begin_chunk", "count_attempt", "first_step", "growth_check", "judge", "rows_until",
           "save_cursor", "size_step", "use_step"]

CONTROLLER = {"h": "D", "t": "D", "last": "I", "fresh": "I", "since": "D", "hgrowth": "D", "hchecked": "D",
              "steps": "I", "rejlast": "I", "hacc": "D", "erracc": "D", "kout": "I", "nspk": "I"}
"""The slots ``v`` holds (module docstring) and their kinds: "D" a double, "I" an i64."""


def _copy_row(e, s, v, src, n: int) -> None:
    """Output row ``kout`` set to the n numbers of ``src``."""
    b = e.b
    row = b.mul(e.get(v["kout"]), e.i64(n))
    with e.range(0, n) as i:
        e.put(e.get(src, i), s["yout"], b.add(row, i))


def begin_chunk(e, s, v, t0, t1, h0, a_p, work, n: int, n_dyn: int, empty) -> None:
    """The start of a chunk from ``t0`` to ``t1`` (ms) with the parameter row at ``a_p``: the
    cursor's rows, spikes and growth check read from ``pos`` and ``tf``, the output row at t0
    written, ``h0`` (negative: ask for a first step, from ``first_step``, with the three vectors of
    ``work``) as the step to try, and the controller reset.  A chunk of no length calls
    ``empty()`` (which must jump away)."""
    b = e.b
    pos, tf, y, tout = s["pos"], s["tf"], s["y"], s["tout"]
    e.put(e.get(pos, 1), v["kout"])
    e.put(e.get(pos, 2), v["nspk"])
    for k, name in ((2, "hgrowth"), (3, "hchecked"), (4, "since")):
        e.put(e.get(tf, k), v[name])
    e.put(h0, v["h"])
    with e.loop(lambda: b.and_(e.cmp("<", e.get(v["kout"]), s["nout"]),
                               e.cmp("<=", e.get(tout, e.get(v["kout"])), t0))):
        with e.when(e.cmp("==", e.get(tout, e.get(v["kout"])), t0)):
            _copy_row(e, s, v, y, n)
        e.put(b.add(e.get(v["kout"]), e.i64(1)), v["kout"])
    with e.when(e.cmp("<=", t1, t0)):
        e.put(b.call(e.f.module.get_global("llvm.fabs.f64"), [e.get(v["h"])]), v["h"])
        empty()
    with e.when(e.cmp("<", e.get(v["h"]), e.f64(0.0))):
        f0, ytmp, ftmp = work
        stats = s["stats"]
        e.call("rhs", e.addr(y), a_p, e.addr(f0))
        e.put(b.add(e.get(stats, 2), e.i64(1)), stats, 2)
        e.put(first_step(e, s, a_p, f0, ytmp, ftmp, b.fneg(e.get(v["h"])), n, n_dyn), v["h"])
        e.put(b.add(e.get(stats, 2), e.i64(1)), stats, 2)
    e.put(t0, v["t"])
    for name, value in (("fresh", e.i64(0)), ("rejlast", e.i64(0)), ("hacc", e.f64(0.0)),
                        ("erracc", e.f64(1.0)), ("steps", e.i64(0))):
        e.put(value, v[name])


def size_step(e, v, hmax, t1, end, fail):
    """The next attempt's step: h, no longer than ``hmax`` or the growth check's cap, stretched to
    end the chunk at ``t1`` when within 1 % of it (``last``).  Shorter than round-off allows
    (1e-14 of t1, at least of 1 ms), ``end()`` where the chunk is done to round-off, else
    ``fail()`` (each must jump away).  Returns h."""
    b = e.b
    t = e.get(v["t"])
    h = e.fmin(e.fmin(e.get(v["h"]), hmax), e.get(v["hgrowth"]))
    last = e.cmp(">=", b.fadd(t, b.fmul(e.f64(1.01), h)), t1)
    h = b.select(last, b.fsub(t1, t), h)
    e.put(h, v["h"])
    e.put(b.zext(last, e.I), v["last"])
    hmin = b.fmul(e.f64(1e-14), e.fmax(e.f64(1.0), b.call(e.f.module.get_global("llvm.fabs.f64"), [t1])))
    with e.when(e.cmp("<", h, hmin)):
        with e.when(e.cmp("<", b.fsub(t1, t), hmin)):
            end()
        fail()
    return h


def count_attempt(e, s) -> None:
    """A step attempt's counts: six right-hand sides, one Jacobian (``stats[2]``, ``stats[3]``)."""
    stats = s["stats"]
    e.put(e.b.add(e.get(stats, 2), e.i64(6)), stats, 2)
    e.put(e.b.add(e.get(stats, 3), e.i64(1)), stats, 3)


def rows_until(e, s, v, t1, n: int) -> None:
    """The output rows up to ``t1`` (ms) at the state y, where the chunk ends."""
    b = e.b
    with e.loop(lambda: b.and_(e.cmp("<", e.get(v["kout"]), s["nout"]),
                               e.cmp("<=", e.get(s["tout"], e.get(v["kout"])), t1))):
        _copy_row(e, s, v, s["y"], n)
        e.put(b.add(e.get(v["kout"]), e.i64(1)), v["kout"])


def save_cursor(e, s, v) -> None:
    """The chunk's end, or where it stopped: the growth check's state and the step into ``tf``, the
    rows and spikes written into ``pos``."""
    tf, pos = s["tf"], s["pos"]
    for k, name in ((2, "hgrowth"), (3, "hchecked"), (4, "since"), (1, "h")):
        e.put(e.get(v[name]), tf, k)
    e.put(e.get(v["kout"]), pos, 1)
    e.put(e.get(v["nspk"]), pos, 2)


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


def first_step(e, s, a_p, f0, ytmp, ftmp, h, n: int, n_dyn: int):
    """``rodas.first_step``: the first step after a protocol edge (ms)."""
    b = e.b
    y, atol, rtol = s["y"], s["atol"], s["rtol"]
    sqrt = e.f.module.get_global("llvm.sqrt.f64")
    fabs = e.f.module.get_global("llvm.fabs.f64")
    d0 = e.var(e.D, e.f64(0.0))
    d1 = e.var(e.D, e.f64(0.0))
    with e.range(0, n_dyn) as i:
        sc = b.fadd(e.get(atol, i), b.fmul(rtol, b.call(fabs, [e.get(y, i)])))
        u = b.fdiv(e.get(y, i), sc)
        v = b.fdiv(e.get(f0, i), sc)
        e.put(b.fadd(e.get(d0), b.fmul(u, u)), d0)
        e.put(b.fadd(e.get(d1), b.fmul(v, v)), d1)
    nd = e.f64(float(n_dyn))
    d0v = b.call(sqrt, [b.fdiv(e.get(d0), nd)])
    d1v = b.call(sqrt, [b.fdiv(e.get(d1), nd)])
    big_enough = b.and_(e.cmp(">", d0v, e.f64(1e-5)), e.cmp(">", d1v, e.f64(1e-5)))
    h0 = e.fmin(b.select(big_enough, b.fmul(e.f64(0.01), b.fdiv(d0v, d1v)), e.f64(1e-6)), h)
    with e.range(0, n) as i:
        e.put(b.fadd(e.get(y, i), b.fmul(h0, e.get(f0, i))), ytmp, i)
    e.call("rhs", e.addr(ytmp), a_p, e.addr(ftmp))
    d2 = e.var(e.D, e.f64(0.0))
    with e.range(0, n_dyn) as i:
        sc = b.fadd(e.get(atol, i), b.fmul(rtol, b.call(fabs, [e.get(y, i)])))
        w = b.fdiv(b.fsub(e.get(ftmp, i), e.get(f0, i)), sc)
        e.put(b.fadd(e.get(d2), b.fmul(w, w)), d2)
    d2v = b.fdiv(b.call(sqrt, [b.fdiv(e.get(d2), nd)]), h0)
    big = e.fmax(d1v, d2v)
    h1 = b.select(e.cmp("<=", big, e.f64(1e-15)), e.fmax(e.f64(1e-6), b.fmul(h0, e.f64(1e-3))),
                  b.call(e.f.module.get_global("llvm.pow.f64"), [b.fdiv(e.f64(0.01), big), e.f64(0.2)]))
    return e.fmin(e.fmin(h, b.fmul(e.f64(100.0), h0)), h1)

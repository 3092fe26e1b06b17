"""The Rodas4 driver as LLVM IR: step-size control, protocol segments, output
and events around the cell's generated step (``nakpump.compile.stepper``).

It is the algorithm of ``nakpump.solve.rodas`` (the Numba driver, kept for
cells whose kernels cannot be traced and for finite-difference Jacobians),
written with llvmlite's IR builder for one cell's sizes, so that it compiles
in milliseconds with the cell instead of in seconds with Numba, and runs
without Python in the loop (called through ctypes, which releases the GIL:
threads run cells in parallel).  Differences from the Numba driver: the
Jacobian and the LU factors are recomputed with every step (a rejected step
too; they are part of the generated step), and the check for growing modes
follows the step that found its bound (a step longer than a growing mode
allows is taken again, shorter).

    advance(i64 *A, double *D)

advances the cell through the segments of a plan from the cursor to model
time ``until``, like ``rodas.advance``; ``A`` and ``D`` hold the arrays'
addresses and the scalars (``SLOTS``, ``REALS``).  The growth rate of the
dynamic block's rightmost eigenvalue (wanted about once per 50 steps where
the potential is still and a step is long enough for a growing mode to
matter, and after each protocol edge) is computed in the driver itself
(``nakpump.compile.eigen``: balancing, Hessenberg form and the double-shift
QR iteration), where the slot ``growth_check`` is not 0.
"""

from __future__ import annotations

from .emit import Emit, declare_intrinsics
from .judge import (
    CONTROLLER,
    begin_chunk,
    count_attempt,
    growth_check,
    judge,
    rows_until,
    save_cursor,
    size_step,
    use_step,
)

__all__ = ["REALS", "SLOTS", "apply_resets", "chunk_start", "driver_ir", "events_full", "slots"]

SLOTS = ("y", "edges", "P", "n_seg", "reset_segment", "reset_state", "reset_volume_state", "reset_volume",
         "reset_value", "exchanged", "n_reset", "atol", "tout", "nout", "yout", "segment_out", "events",
         "events_cap", "stats", "pos", "tf", "max_steps", "iv", "growth_check")
"""``A[k]``: int64 addresses of arrays and int64 scalars, in this order."""
REALS = ("chunk", "max_step", "rtol", "vthr", "until")
"""``D[k]``: float64 scalars, in this order."""

STATUS_DONE, STATUS_STEP_TOO_SMALL, STATUS_MAX_STEPS, STATUS_EVENTS_FULL = 0, 1, 2, 3


def driver_ir(n: int, n_dyn: int, n_params: int, n_obs: int, width: int, triple: str, layout: str) -> str:
    """The IR of ``advance`` (module docstring) for a cell of ``n`` states
    (``n_dyn`` dynamic), ``n_params`` parameters and ``n_obs`` observables
    (``step`` writes ``width`` numbers to its ``out``), and of
    ``observe_rows(Y, P, seg, rows, out)`` (``out[r] = observe(Y[r],
    P[seg[r]])``); they call ``step``, ``rhs``, ``jac`` and ``observe``
    (defined in the module they are linked with)."""
    import llvmlite.ir as ir

    mod = ir.Module(name="driver")
    mod.triple, mod.data_layout = triple, layout
    D, I = ir.DoubleType(), ir.IntType(64)
    for name, count in (("step", 4), ("rhs", 3), ("jac", 3), ("observe", 3)):
        ir.Function(mod, ir.FunctionType(ir.VoidType(), [I] * count), name)
    declare_intrinsics(ir, mod)
    integ = ir.Function(mod, ir.FunctionType(I, [I.as_pointer(), D.as_pointer(), D.as_pointer(), D, D, D, D]),
                        "integrate")
    integ.linkage = "internal"
    _integrate(Emit(ir, integ), n, n_dyn, width)
    adv = ir.Function(mod, ir.FunctionType(ir.VoidType(), [I.as_pointer(), D.as_pointer()]), "advance")
    _advance(Emit(ir, adv), n, n_params)
    rows = ir.Function(mod, ir.FunctionType(ir.VoidType(), [D.as_pointer(), D.as_pointer(), I.as_pointer(), I,
                                                            D.as_pointer()]), "observe_rows")
    e = Emit(ir, rows)
    Y, P, seg, count, out = rows.args
    with e.range(0, count) as r:
        e.call("observe", e.addr(e.at(Y, e.b.mul(r, e.i64(n)))),
               e.addr(e.at(P, e.b.mul(e.get(seg, r), e.i64(n_params)))),
               e.addr(e.at(out, e.b.mul(r, e.i64(n_obs)))))
    e.b.ret_void()
    return str(mod)


def slots(e: Emit, A, Dp):
    """The named arrays and scalars of ``A`` and ``D``."""
    ints = ("n_seg", "n_reset", "nout", "events_cap", "max_steps", "iv", "growth_check")
    iptrs = ("reset_segment", "reset_state", "reset_volume_state", "segment_out", "stats", "pos")
    out = {}
    for k, name in enumerate(SLOTS):
        raw = e.get(A, k)
        out[name] = raw if name in ints else e.b.inttoptr(raw, e.IP if name in iptrs else e.DP)
    for k, name in enumerate(REALS):
        out[name] = e.get(Dp, k)
    return out


def apply_resets(e: Emit, s) -> None:
    """The concentration changes of the cursor's segment, from ``pos[4]`` on: each sets its amount
    to the new concentration times its compartment's volume (the state ``reset_volume_state``, or the
    fixed ``reset_volume``) and records what was exchanged."""
    b = e.b
    y, pos = s["y"], s["pos"]
    with e.loop(lambda: b.and_(e.cmp("<", e.get(pos, 4), s["n_reset"]),
                               e.cmp("==", e.get(s["reset_segment"], e.get(pos, 4)), e.get(pos, 0)))):
        k = e.get(pos, 4)
        j = e.get(s["reset_state"], k)
        vs = e.get(s["reset_volume_state"], k)
        w = e.var(e.D, e.get(s["reset_volume"], k))
        with e.when(e.cmp(">=", vs, e.i64(0))):
            e.put(e.get(y, vs), w)
        new = b.fmul(e.get(s["reset_value"], k), e.get(w))
        e.put(b.fsub(new, e.get(y, j)), s["exchanged"], k)
        e.put(new, y, j)
        e.put(b.add(k, e.i64(1)), pos, 4)


def events_full(e: Emit, s):
    """Whether the events' room is full but for one (the driver then stops with
    ``STATUS_EVENTS_FULL`` at the chunk's start, for more room): an i1.  Spikes found beyond the
    room within a chunk are counted in ``pos[2]`` but not kept: ``pos[2]`` above the room says
    that some were lost."""
    return e.cmp(">=", e.get(s["pos"], 2), e.b.sub(s["events_cap"], e.i64(1)))


def chunk_start(e: Emit, s, ta, t1):
    """The chunk that starts at ``ta`` in the segment ending at ``t1``: (its end tb, the longest step
    hmax, the step to try: ``tf[1]``, negated after a protocol edge to ask for a first step), as
    stack slots; at an edge the growth check starts afresh (``tf[2:5]``)."""
    b = e.b
    pos, tf, chunk = s["pos"], s["tf"], s["chunk"]
    floor = b.call(e.f.module.get_global("llvm.floor.f64"), [b.fdiv(ta, chunk)])
    tb = e.var(e.D, b.fmul(b.fadd(floor, e.f64(1.0)), chunk))
    small = b.fmul(e.f64(1e-9), chunk)
    with e.when(e.cmp("<", b.fsub(e.get(tb), ta), small)):
        e.put(b.fadd(e.get(tb), chunk), tb)
    with e.when(e.cmp("<", b.fsub(t1, e.get(tb)), small)):
        e.put(t1, tb)
    e.put(e.fmin(t1, e.get(tb)), tb)
    span = b.fsub(e.get(tb), ta)
    hmax = e.var(e.D, span)
    with e.when(e.cmp(">", s["max_step"], e.f64(0.0))):
        e.put(e.fmin(s["max_step"], span), hmax)
    with e.when(e.cmp("<=", e.get(hmax), e.f64(0.0))):
        e.put(e.f64(1.0), hmax)
    h_try = e.var(e.D, e.get(tf, 1))
    with e.when(e.cmp("==", ta, e.get(s["edges"], e.get(pos, 0)))):
        e.put(e.f64(float("inf")), tf, 2)
        e.put(e.f64(0.0), tf, 3)
        e.put(e.f64(10.0), tf, 4)
        with e.when(e.cmp(">", e.get(pos, 0), e.i64(0))):
            e.put(b.fneg(e.get(tf, 1)), h_try)
    return tb, hmax, h_try


def _advance(e: Emit, n: int, n_params: int):
    """``rodas.advance``: segments, concentration changes, chunks on a fixed grid."""
    b = e.b
    A, Dp = e.f.args
    s = slots(e, A, Dp)
    pos, tf, edges = s["pos"], s["tf"], s["edges"]
    with e.loop(lambda: e.cmp("<", e.get(pos, 0), s["n_seg"])):
        si = e.get(pos, 0)
        t1 = e.get(edges, b.add(si, e.i64(1)))
        apply_resets(e, s)
        p_row = e.at(s["P"], b.mul(e.get(pos, 0), e.i64(n_params)))
        with e.loop(lambda: e.cmp("<", e.get(tf, 0), t1)) as (_, _):
            ta = e.get(tf, 0)
            with e.when(e.cmp(">=", ta, s["until"])):
                b.ret_void()
            with e.when(events_full(e, s)):
                e.put(e.i64(STATUS_EVENTS_FULL), pos, 3)
                b.ret_void()
            tb, hmax, h_try = chunk_start(e, s, ta, t1)
            k_start = e.get(pos, 1)
            status = e.call("integrate", A, Dp, p_row, ta, e.get(tb), e.get(h_try), e.get(hmax))
            with e.range(k_start, e.get(pos, 1)) as k:
                e.put(e.get(pos, 0), s["segment_out"], k)
            with e.when(e.cmp("!=", status, e.i64(0))):
                e.put(status, pos, 3)
                b.ret_void()
            e.put(e.get(tb), tf, 0)
        e.put(b.add(e.get(pos, 0), e.i64(1)), pos, 0)
    b.ret_void()


def _integrate(e: Emit, n: int, n_dyn: int, width: int):
    """``rodas.integrate`` from t0 to t1 (ms) with the parameter row p: steps,
    output rows and events; returns the status, leaves h in ``tf[1]``, the
    output and event counts in ``pos[1]``, ``pos[2]``, the growth check's
    state in ``tf[2:5]``."""
    b = e.b
    A, Dp, p, t0, t1, h_in, hmax = e.f.args
    s = slots(e, A, Dp)
    y, rtol, atol = s["y"], s["rtol"], s["atol"]
    out = e.var(e.D, count=width)
    c = e.var(e.D, count=2 + n_dyn)
    work = tuple(e.var(e.D, count=n) for _ in range(3))
    jac = e.var(e.D, count=n * n_dyn)
    v = {name: e.var(e.D if kind == "D" else e.I) for name, kind in CONTROLLER.items()}
    a_y, a_p, a_c, a_out = e.addr(y), e.addr(p), e.addr(c), e.addr(out)
    e.put(rtol, c, 1)
    with e.range(0, n_dyn) as i:
        e.put(e.get(atol, i), c, b.add(i, e.i64(2)))

    def finish(status):
        save_cursor(e, s, v)
        b.ret(e.i64(status))

    def out_at(k):
        return e.get(out, k)

    begin_chunk(e, s, v, t0, t1, h_in, a_p, work, n, n_dyn, lambda: finish(STATUS_DONE))
    with e.loop(lambda: e.cmp("<", e.get(v["t"]), t1)) as (head, done):
        with e.when(e.cmp(">=", e.get(v["steps"]), s["max_steps"])):
            finish(STATUS_MAX_STEPS)
        h = size_step(e, v, hmax, t1, lambda: b.branch(done), lambda: finish(STATUS_STEP_TOO_SMALL))
        e.put(h, c, 0)
        e.call("step", a_y, a_p, a_c, a_out)
        count_attempt(e, s)
        growth_check(e, s, v, out_at, jac, a_y, a_p, n, n_dyn, lambda: b.branch(head))
        fac = judge(e, s, v, out_at, n, lambda: b.branch(head))
        use_step(e, s, v, out_at, fac, t1, n)
    rows_until(e, s, v, t1, n)
    finish(STATUS_DONE)

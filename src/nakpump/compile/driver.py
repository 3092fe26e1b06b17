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

from contextlib import contextmanager

from .eigen import rightmost
from .stepper import MAX_MULTIPLIER

__all__ = ["REALS", "SLOTS", "Emit", "driver_ir", "first_step", "slots"]

SLOTS = ("y", "edges", "P", "n_seg", "reset_segment", "reset_state", "reset_volume_state", "reset_volume",
         "reset_value", "exchanged", "n_reset", "atol", "tout", "nout", "yout", "segment_out", "events",
         "events_cap", "stats", "pos", "tf", "max_steps", "iv", "growth_check")
"""``A[k]``: int64 addresses of arrays and int64 scalars, in this order."""
REALS = ("chunk", "max_step", "rtol", "vthr", "until")
"""``D[k]``: float64 scalars, in this order."""

STATUS_DONE, STATUS_STEP_TOO_SMALL, STATUS_MAX_STEPS, STATUS_EVENTS_FULL = 0, 1, 2, 3


class Emit:
    """A small structured layer over llvmlite's IRBuilder: locals as stack
    slots (promoted to registers by LLVM's passes), loops and branches as
    context managers."""

    def __init__(self, ir, func):
        self.ir = ir
        self.f = func
        self.entry = func.append_basic_block("entry")
        self.b = ir.IRBuilder(self.entry)
        self.D = ir.DoubleType()
        self.I = ir.IntType(64)
        self.DP = self.D.as_pointer()
        self.IP = self.I.as_pointer()

    def f64(self, x):
        return self.ir.Constant(self.D, float(x))

    def i64(self, x):
        return self.ir.Constant(self.I, int(x))

    def var(self, ty, init=None, count=None):
        with self.b.goto_block(self.entry):
            if self.entry.terminator is not None:
                self.b.position_before(self.entry.terminator)
            slot = self.b.alloca(ty, size=None if count is None else self.i64(count))
        if init is not None:
            self.b.store(init, slot)
        return slot

    def at(self, ptr, i):
        return self.b.gep(ptr, [i if not isinstance(i, int) else self.i64(i)])

    def get(self, ptr, i=None):
        return self.b.load(ptr if i is None else self.at(ptr, i))

    def put(self, value, ptr, i=None):
        self.b.store(value, ptr if i is None else self.at(ptr, i))

    def cmp(self, op, a, c):
        if a.type == self.D:
            return self.b.fcmp_ordered(op, a, c)
        return self.b.icmp_signed(op, a, c)

    def fmin(self, a, c):
        return self.b.select(self.b.fcmp_ordered("<", a, c), a, c)

    def fmax(self, a, c):
        return self.b.select(self.b.fcmp_ordered(">", a, c), a, c)

    def call(self, name, *args):
        return self.b.call(self.f.module.get_global(name), list(args))

    def addr(self, ptr):
        return self.b.ptrtoint(ptr, self.I)

    @contextmanager
    def loop(self, cond):
        """``while cond():`` — yields (head, exit): branch to head to continue, to exit to break."""
        head = self.f.append_basic_block("head")
        body = self.f.append_basic_block("body")
        done = self.f.append_basic_block("done")
        self.b.branch(head)
        self.b.position_at_end(head)
        self.b.cbranch(cond(), body, done)
        self.b.position_at_end(body)
        yield head, done
        if self.b.block.terminator is None:
            self.b.branch(head)
        self.b.position_at_end(done)

    @contextmanager
    def range(self, start, stop):
        """``for i in range(start, stop):`` — yields i (an i64 value)."""
        i = self.var(self.I, start if not isinstance(start, int) else self.i64(start))
        stop = stop if not isinstance(stop, int) else self.i64(stop)
        with self.loop(lambda: self.cmp("<", self.get(i), stop)):
            value = self.get(i)
            yield value
            if self.b.block.terminator is None:
                self.put(self.b.add(value, self.i64(1)), i)

    def when(self, pred):
        return self.b.if_then(pred)

    def if_else_(self, pred):
        return self.b.if_else(pred)


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
    for name, args in (("llvm.floor.f64", [D]), ("llvm.sqrt.f64", [D]), ("llvm.pow.f64", [D, D]),
                       ("llvm.fabs.f64", [D])):
        ir.Function(mod, ir.FunctionType(D, args), name)
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


def _advance(e: Emit, n: int, n_params: int):
    """``rodas.advance``: segments, concentration changes, chunks on a fixed grid."""
    b = e.b
    A, Dp = e.f.args
    s = slots(e, A, Dp)
    y, pos, tf, edges = s["y"], s["pos"], s["tf"], s["edges"]
    chunk = s["chunk"]
    with e.loop(lambda: e.cmp("<", e.get(pos, 0), s["n_seg"])):
        si = e.get(pos, 0)
        t1 = e.get(edges, b.add(si, e.i64(1)))
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
        p_row = e.at(s["P"], b.mul(e.get(pos, 0), e.i64(n_params)))
        with e.loop(lambda: e.cmp("<", e.get(tf, 0), t1)) as (_, _):
            ta = e.get(tf, 0)
            with e.when(e.cmp(">=", ta, s["until"])):
                b.ret_void()
            with e.when(e.cmp(">=", e.get(pos, 2), b.sub(s["events_cap"], e.i64(1)))):
                e.put(e.i64(STATUS_EVENTS_FULL), pos, 3)
                b.ret_void()
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
            k_start = e.get(pos, 1)
            h_try = e.var(e.D, e.get(tf, 1))
            with e.when(e.cmp("==", ta, e.get(edges, e.get(pos, 0)))):
                e.put(e.f64(float("inf")), tf, 2)
                e.put(e.f64(0.0), tf, 3)
                e.put(e.f64(10.0), tf, 4)
                with e.when(e.cmp(">", e.get(pos, 0), e.i64(0))):
                    e.put(b.fneg(e.get(tf, 1)), h_try)
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
    y, pos, tf, stats = s["y"], s["pos"], s["tf"], s["stats"]
    tout, yout, events = s["tout"], s["yout"], s["events"]
    rtol, atol, iv, vthr = s["rtol"], s["atol"], s["iv"], s["vthr"]
    inf = e.f64(float("inf"))
    out = e.var(e.D, count=width)
    c = e.var(e.D, count=2 + n_dyn)
    f0 = e.var(e.D, count=n)
    ytmp = e.var(e.D, count=n)
    ftmp = e.var(e.D, count=n)
    jac = e.var(e.D, count=n * n_dyn)
    a_y, a_p, a_c, a_out = e.addr(y), e.addr(p), e.addr(c), e.addr(out)
    e.put(rtol, c, 1)
    with e.range(0, n_dyn) as i:
        e.put(e.get(atol, i), c, b.add(i, e.i64(2)))
    kout = e.var(e.I, e.get(pos, 1))
    nspk = e.var(e.I, e.get(pos, 2))
    h = e.var(e.D, h_in)
    nout = s["nout"]

    def bump(k, by=1):
        e.put(b.add(e.get(stats, k), e.i64(by)), stats, k)

    def copy_row(src):
        row = b.mul(e.get(kout), e.i64(n))
        with e.range(0, n) as i:
            e.put(e.get(src, i), yout, b.add(row, i))

    def finish(status):
        e.put(e.get(kout), pos, 1)
        e.put(e.get(nspk), pos, 2)
        e.put(e.get(h), tf, 1)
        b.ret(e.i64(status))

    with e.loop(lambda: b.and_(e.cmp("<", e.get(kout), nout), e.cmp("<=", e.get(tout, e.get(kout)), t0))):
        with e.when(e.cmp("==", e.get(tout, e.get(kout)), t0)):
            copy_row(y)
        e.put(b.add(e.get(kout), e.i64(1)), kout)
    with e.when(e.cmp("<=", t1, t0)):
        e.put(b.call(e.f.module.get_global("llvm.fabs.f64"), [e.get(h)]), h)
        finish(STATUS_DONE)
    with e.when(e.cmp("<", e.get(h), e.f64(0.0))):
        e.call("rhs", a_y, a_p, e.addr(f0))
        bump(2)
        e.put(first_step(e, s, a_p, f0, ytmp, ftmp, b.fneg(e.get(h)), n, n_dyn), h)
        bump(2)
    t = e.var(e.D, t0)
    fresh = e.var(e.I, e.i64(0))
    rejected_last = e.var(e.I, e.i64(0))
    h_acc = e.var(e.D, e.f64(0.0))
    err_acc = e.var(e.D, e.f64(1.0))
    steps = e.var(e.I, e.i64(0))
    hmin = b.fmul(e.f64(1e-14), e.fmax(e.f64(1.0), b.call(e.f.module.get_global("llvm.fabs.f64"), [t1])))
    h_growth = e.var(e.D, e.get(tf, 2))
    h_checked = e.var(e.D, e.get(tf, 3))
    since = e.var(e.D, e.get(tf, 4))

    def save_growth():
        e.put(e.get(h_growth), tf, 2)
        e.put(e.get(h_checked), tf, 3)
        e.put(e.get(since), tf, 4)

    pow_ = e.f.module.get_global("llvm.pow.f64")
    with e.loop(lambda: e.cmp("<", e.get(t), t1)) as (head, done):
        with e.when(e.cmp(">=", e.get(steps), s["max_steps"])):
            save_growth()
            finish(STATUS_MAX_STEPS)
        e.put(e.fmin(e.fmin(e.get(h), hmax), e.get(h_growth)), h)
        last = e.var(e.I, b.zext(e.cmp(">=", b.fadd(e.get(t), b.fmul(e.f64(1.01), e.get(h))), t1), e.I))
        with e.when(e.cmp("!=", e.get(last), e.i64(0))):
            e.put(b.fsub(t1, e.get(t)), h)
        with e.when(e.cmp("<", e.get(h), hmin)):
            with e.when(e.cmp("<", b.fsub(t1, e.get(t)), hmin)):
                b.branch(done)
            save_growth()
            finish(STATUS_STEP_TOO_SMALL)
        e.put(e.get(h), c, 0)
        e.call("step", a_y, a_p, a_c, a_out)
        bump(2, 6)
        bump(3)
        with e.when(e.cmp("==", e.get(fresh), e.i64(0))):  # the growth check, once per state
            e.put(e.i64(1), fresh)
            e.put(b.fadd(e.get(since), e.f64(1.0)), since)
            bound = e.get(out, 3 * n + 2)
            with e.if_else_(e.cmp("<=", b.fmul(e.get(h), bound), e.f64(1.0))) as (then, other):
                with then:
                    e.put(inf, h_growth)
                with other:
                    still = e.cmp("<", b.fmul(b.call(e.f.module.get_global("llvm.fabs.f64"),
                                                     [e.get(out, 3 * n + 3)]), e.get(h)), e.f64(0.1))
                    growing = e.cmp("<", e.get(h_growth), inf)
                    due_g = b.or_(e.cmp(">=", e.get(since), e.f64(20.0)),
                                  e.cmp(">", e.get(h), b.fmul(e.f64(2.0), e.get(h_checked))))
                    due_n = b.or_(e.cmp(">=", e.get(since), e.f64(50.0)),
                                  e.cmp(">", e.get(h), b.fmul(e.f64(8.0), e.get(h_checked))))
                    with e.when(b.and_(b.and_(still, b.select(growing, due_g, due_n)),
                                       e.cmp("!=", s["growth_check"], e.i64(0)))):
                        with e.range(0, n * n_dyn) as i:
                            e.put(e.f64(0.0), jac, i)
                        e.call("jac", a_y, a_p, e.addr(jac))
                        rate = rightmost(e, jac, n_dyn)
                        e.put(b.select(e.cmp(">", rate, e.f64(0.0)), b.fdiv(e.f64(1.0), rate), inf), h_growth)
                        e.put(e.get(h), h_checked)
                        e.put(e.f64(0.0), since)
            with e.when(e.cmp(">", e.get(h), e.get(h_growth))):
                b.branch(head)  # taken again, no longer than a growing mode allows
        err = e.get(out, 3 * n)
        e.put(b.add(e.get(steps), e.i64(1)), steps)
        ok = e.var(e.I, b.zext(b.and_(e.cmp("<", b.call(e.f.module.get_global("llvm.fabs.f64"), [err]), inf),
                                      e.cmp("<=", e.get(out, 3 * n + 1), e.f64(MAX_MULTIPLIER))), e.I))
        with e.range(0, n) as i:
            v = e.get(out, i)
            with e.when(b.not_(e.cmp("<", b.call(e.f.module.get_global("llvm.fabs.f64"), [v]), inf))):
                e.put(e.i64(0), ok)
        with e.when(e.cmp("==", e.get(ok), e.i64(0))):
            e.put(b.fmul(e.get(h), e.f64(0.25)), h)
            bump(1)
            e.put(e.i64(1), rejected_last)
            b.branch(head)
        clipped = e.fmax(err, e.f64(1e-10))
        fac = e.var(e.D, e.fmin(e.f64(5.0), e.fmax(e.f64(1.0 / 6.0), b.fmul(
            e.f64(0.9), b.call(pow_, [clipped, e.f64(-0.25)])))))
        with e.when(e.cmp(">", err, e.f64(1.0))):
            e.put(b.fmul(e.get(h), e.get(fac)), h)
            bump(1)
            e.put(e.i64(1), rejected_last)
            b.branch(head)
        with e.when(e.cmp(">", e.get(h_acc), e.f64(0.0))):  # Gustafsson's predictive controller
            ratio = b.fdiv(b.fmul(clipped, clipped), e.get(err_acc))
            gus = b.fmul(b.fmul(b.fdiv(e.get(h), e.get(h_acc)), b.call(pow_, [ratio, e.f64(-0.25)])),
                         e.f64(0.9))
            e.put(e.fmin(e.get(fac), e.fmin(e.f64(5.0), e.fmax(e.f64(1.0 / 6.0), gus))), fac)
        e.put(e.get(h), h_acc)
        e.put(e.fmax(e.f64(1e-2), err), err_acc)
        bump(0)
        tnew = b.select(e.cmp("!=", e.get(last), e.i64(0)), t1, b.fadd(e.get(t), e.get(h)))
        tnew_v = e.var(e.D, tnew)

        def dense_at(theta, i):
            t_1 = b.fsub(e.f64(1.0), theta)
            inner = b.fadd(e.get(out, b.add(i, e.i64(n))), b.fmul(theta, e.get(out, b.add(i, e.i64(2 * n)))))
            return b.fadd(b.fmul(t_1, e.get(y, i)), b.fmul(theta, b.fadd(e.get(out, i), b.fmul(t_1, inner))))

        with e.loop(lambda: b.and_(e.cmp("<", e.get(kout), nout),
                                   e.cmp("<=", e.get(tout, e.get(kout)), e.get(tnew_v)))):
            tk = e.get(tout, e.get(kout))
            with e.if_else_(e.cmp("==", tk, e.get(tnew_v))) as (then, other):
                with then:
                    copy_row(out)
                with other:
                    theta = b.fdiv(b.fsub(tk, e.get(t)), e.get(h))
                    row = b.mul(e.get(kout), e.i64(n))
                    with e.range(0, n) as i:
                        e.put(dense_at(theta, i), yout, b.add(row, i))
            e.put(b.add(e.get(kout), e.i64(1)), kout)
        crossed = b.and_(e.cmp("<", e.get(y, iv), vthr), e.cmp("<=", vthr, e.get(out, iv)))
        with e.when(b.and_(crossed, e.cmp("<", e.get(nspk), s["events_cap"]))):
            lo = e.var(e.D, e.f64(0.0))
            hi = e.var(e.D, e.f64(1.0))
            with e.range(0, 60):
                mid = b.fmul(e.f64(0.5), b.fadd(e.get(lo), e.get(hi)))
                below = e.cmp("<", dense_at(mid, iv), vthr)
                e.put(b.select(below, mid, e.get(lo)), lo)
                e.put(b.select(below, e.get(hi), mid), hi)
            e.put(b.fadd(e.get(t), b.fmul(e.get(hi), e.get(h))), events, e.get(nspk))
            e.put(b.add(e.get(nspk), e.i64(1)), nspk)
        with e.range(0, n) as i:
            e.put(e.get(out, i), y, i)
        e.put(e.get(tnew_v), t)
        e.put(e.i64(0), fresh)
        h_done = e.get(h)
        e.put(b.fmul(h_done, e.get(fac)), h)
        with e.when(e.cmp("!=", e.get(rejected_last), e.i64(0))):
            e.put(e.fmin(e.get(h), h_done), h)
        e.put(e.i64(0), rejected_last)
    with e.loop(lambda: b.and_(e.cmp("<", e.get(kout), nout), e.cmp("<=", e.get(tout, e.get(kout)), t1))):
        copy_row(y)
        e.put(b.add(e.get(kout), e.i64(1)), kout)
    save_growth()
    finish(STATUS_DONE)


def first_step(e: Emit, s, a_p, f0, ytmp, ftmp, h, n: int, n_dyn: int):
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

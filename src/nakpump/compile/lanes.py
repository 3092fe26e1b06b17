"""The Rodas4 driver for a population, as LLVM IR: W cells side by side in
the W lanes of one vector step, each with its own adaptive step.

The cell's generated step (``nakpump.compile.stepper``) is compiled a second
time with every value a vector of W doubles (``llvm_backend.function_ir``
with ``lanes``), so one call takes W cells' steps at about the cost of one.
Around it, ``run_lanes`` keeps W lanes busy from a queue of cells: each lane
holds one cell, with its own time, step size, controller, segment, output
rows and events, and does for it exactly what ``nakpump.compile.driver``
does for one cell: the same segments, concentration changes, chunks, first
steps, error control, growth check, dense output and spike bisection, in the
same order.  Lanes never wait for each other: a lane whose cell reaches a
chunk's end, or the end of its run, sets up the next chunk or takes the next
cell before the next vector step; a lane with nothing left computes a copy
of a busy lane's step, which is discarded.

    run_lanes(i64 *As, double *Ds, i64 count, i64 *next)

runs cells ``next[0]``, ``next[0] + 1``, ... below ``count``, taking each by
an atomic increment of ``next[0]`` (so threads may share one queue); cell c
has the arrays and scalars of ``driver.advance`` in ``As[c * len(SLOTS) ..]``
and ``Ds[c * len(REALS) ..]`` and ends as ``advance`` leaves it (its ``pos``,
``tf``, ``stats``, rows and events), ``pos[3]`` its status.  A cell whose
events fill their room stops at a chunk's start with ``STATUS_EVENTS_FULL``
(``driver.events_full``); one whose spikes overflowed within a chunk ends
with ``pos[2]`` above ``events_cap``: the caller runs either again with more
room.

    init_rows(double *Y, double *P, i64 count)

sets the mechanism states of each row ``Y[r]`` to their steady state for its
V and the parameters ``P[r]`` (``init``), for a population's start.
"""

from __future__ import annotations

from .driver import (
    REALS,
    SLOTS,
    STATUS_EVENTS_FULL,
    STATUS_MAX_STEPS,
    STATUS_STEP_TOO_SMALL,
    apply_resets,
    chunk_start,
    events_full,
    slots,
)
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

__all__ = ["lanes_ir"]

_REAL_FIELDS = ("t1", "hmax", *(k for k, kind in CONTROLLER.items() if kind == "D"))
_INT_FIELDS = ("cell", "phase", "kstart", *(k for k, kind in CONTROLLER.items() if kind == "I"))


class _Lane:
    """One lane's state, named: ``L["t"]`` loads, ``L["t"] = v`` stores."""

    def __init__(self, e: Emit, real, whole):
        self.e, self.real, self.whole = e, real, whole

    def ptr(self, name):
        if name in _REAL_FIELDS:
            return self.e.at(self.real, _REAL_FIELDS.index(name))
        return self.e.at(self.whole, _INT_FIELDS.index(name))

    def pointers(self) -> dict:
        """The controller's slots by name, as ``nakpump.compile.judge`` takes them."""
        return {name: self.ptr(name) for name in CONTROLLER}

    def __getitem__(self, name):
        return self.e.b.load(self.ptr(name))

    def __setitem__(self, name, value):
        self.e.b.store(value, self.ptr(name))


def lanes_ir(n: int, n_dyn: int, n_params: int, width: int, lanes: int, triple: str, layout: str) -> str:
    """The IR of ``run_lanes`` and ``init_rows`` (module docstring) for a cell
    of ``n`` states (``n_dyn`` dynamic) and ``n_params`` parameters, whose
    vector step ``vstep(Y, P, C, O)`` of ``lanes`` lanes writes ``width``
    numbers per lane; ``vstep``, ``rhs``, ``jac`` and ``init`` are defined in
    the module it is linked with."""
    import llvmlite.ir as ir

    mod = ir.Module(name="lanes")
    mod.triple, mod.data_layout = triple, layout
    D, I = ir.DoubleType(), ir.IntType(64)
    DP, IP = D.as_pointer(), I.as_pointer()
    for name, count in (("vstep", 4), ("rhs", 3), ("jac", 3), ("init", 3)):
        ir.Function(mod, ir.FunctionType(ir.VoidType(), [I] * count), name)
    declare_intrinsics(ir, mod)
    prep = ir.Function(mod, ir.FunctionType(I, [IP, DP, I, IP, DP, IP, DP, DP, DP, I]), "prepare")
    prep.linkage = "internal"
    _prepare(Emit(ir, prep), n, n_dyn, n_params, lanes)
    post = ir.Function(mod, ir.FunctionType(ir.VoidType(), [IP, DP, DP, IP, DP, I]), "post")
    post.linkage = "internal"
    _post(Emit(ir, post), n, n_dyn, n_params, lanes)
    run = ir.Function(mod, ir.FunctionType(ir.VoidType(), [IP, DP, I, IP]), "run_lanes")
    _run(Emit(ir, run), n, n_dyn, n_params, width, lanes)
    rows = ir.Function(mod, ir.FunctionType(ir.VoidType(), [DP, DP, I]), "init_rows")
    e = Emit(ir, rows)
    Y, P, count = rows.args
    with e.range(0, count) as r:
        y = e.addr(e.at(Y, e.b.mul(r, e.i64(n))))
        e.call("init", y, e.addr(e.at(P, e.b.mul(r, e.i64(n_params)))), y)
    e.b.ret_void()
    return str(mod)


def _run(e: Emit, n: int, n_dyn: int, n_params: int, width: int, W: int):
    """``run_lanes``: prepare every lane, one vector step, then each busy lane's bookkeeping."""
    b = e.b
    As, Ds, count, nxt = e.f.args
    real = e.var(e.D, count=W * len(_REAL_FIELDS))
    whole = e.var(e.I, count=W * len(_INT_FIELDS))
    n_c = 2 + n_dyn  # c = [h, rtol, atol_0 .. atol_{n_dyn-1}]
    Yv = e.var(e.D, count=n * W)
    Pv = e.var(e.D, count=n_params * W)
    Cv = e.var(e.D, count=n_c * W)
    Ov = e.var(e.D, count=width * W)
    busy = e.var(e.I, count=W)
    with e.range(0, W) as lane:
        e.put(e.i64(-1), whole, b.add(b.mul(lane, e.i64(len(_INT_FIELDS))), e.i64(_INT_FIELDS.index("cell"))))

    def lane_rows(lane):
        return (e.at(real, b.mul(lane, e.i64(len(_REAL_FIELDS)))),
                e.at(whole, b.mul(lane, e.i64(len(_INT_FIELDS)))))

    with e.loop(lambda: e.ir.Constant(e.ir.IntType(1), 1)) as (_, done):
        first = e.var(e.I, e.i64(-1))
        with e.range(0, W) as lane:
            r, w = lane_rows(lane)
            active = e.call("prepare", As, Ds, count, nxt, r, w, Yv, Pv, Cv, lane)
            e.put(active, busy, lane)
            with e.when(b.and_(e.cmp("!=", active, e.i64(0)), e.cmp("<", e.get(first), e.i64(0)))):
                e.put(lane, first)
        with e.when(e.cmp("<", e.get(first), e.i64(0))):
            b.branch(done)
        src = e.get(first)
        with e.range(0, W) as lane:  # an idle lane computes a copy of a busy one (finite inputs)
            with e.when(e.cmp("==", e.get(busy, lane), e.i64(0))):
                for vec, size in ((Yv, n), (Pv, n_params), (Cv, n_c)):
                    with e.range(0, size) as j:
                        base = b.mul(j, e.i64(W))
                        e.put(e.get(vec, b.add(base, src)), vec, b.add(base, lane))
        e.call("vstep", e.addr(Yv), e.addr(Pv), e.addr(Cv), e.addr(Ov))
        with e.range(0, W) as lane:
            with e.when(e.cmp("!=", e.get(busy, lane), e.i64(0))):
                r, w = lane_rows(lane)
                e.call("post", As, Ds, r, w, Ov, lane)
    b.ret_void()


def _cell_slots(e: Emit, As, Ds, cell):
    return slots(e, e.at(As, e.b.mul(cell, e.i64(len(SLOTS)))), e.at(Ds, e.b.mul(cell, e.i64(len(REALS)))))


def _prepare(e: Emit, n: int, n_dyn: int, n_params: int, W: int):
    """``prepare(..., lane)`` -> 1 when the lane's cell has a step to take (its y, p and c packed into
    the lane), 0 when the queue is empty: sets up chunks and segments as ``driver.advance`` and the
    start of ``driver.integrate`` do, and ends chunks, cells and failed cells."""
    b = e.b
    As, Ds, count, nxt, real, whole, Yv, Pv, Cv, lane = e.f.args
    L = _Lane(e, real, whole)
    v = L.pointers()
    work = tuple(e.var(e.D, count=n) for _ in range(3))

    def lane_at(vec, j):
        return e.at(vec, b.add(b.mul(j if not isinstance(j, int) else e.i64(j), e.i64(W)), lane))

    with e.loop(lambda: e.ir.Constant(e.ir.IntType(1), 1)) as (head, _):
        with e.when(e.cmp("<", L["cell"], e.i64(0))):
            taken = b.atomic_rmw("add", nxt, e.i64(1), "monotonic")
            with e.when(e.cmp(">=", taken, count)):
                b.ret(e.i64(0))
            L["cell"] = taken
            L["phase"] = e.i64(0)
        s = _cell_slots(e, As, Ds, L["cell"])
        y, pos, tf, edges = s["y"], s["pos"], s["tf"], s["edges"]

        def drop_cell(status=None):
            if status is not None:
                e.put(e.i64(status), pos, 3)
            L["cell"] = e.i64(-1)
            b.branch(head)

        def save():
            """``integrate``'s finish, and ``advance``'s segment of the chunk's rows."""
            save_cursor(e, s, v)
            with e.range(L["kstart"], L["kout"]) as k:
                e.put(e.get(pos, 0), s["segment_out"], k)

        def save_and_drop(status):
            save()
            drop_cell(status)

        def end_chunk():
            """``integrate``'s last rows and its finish, then ``advance`` after the call."""
            t1 = L["t1"]
            rows_until(e, s, v, t1, n)
            save()
            e.put(t1, tf, 0)
            L["phase"] = e.i64(0)
            b.branch(head)

        with e.when(e.cmp("==", L["phase"], e.i64(0))):
            with e.when(e.cmp(">=", e.get(pos, 0), s["n_seg"])):
                drop_cell()
            si = e.get(pos, 0)
            t1 = e.get(edges, b.add(si, e.i64(1)))
            apply_resets(e, s)
            ta = e.get(tf, 0)
            with e.when(e.cmp(">=", ta, t1)):
                e.put(b.add(si, e.i64(1)), pos, 0)
                b.branch(head)
            with e.when(e.cmp(">=", ta, s["until"])):
                drop_cell()
            with e.when(events_full(e, s)):
                drop_cell(STATUS_EVENTS_FULL)
            tb, hmax, h = chunk_start(e, s, ta, t1)
            L["t1"] = e.get(tb)
            L["hmax"] = e.get(hmax)
            L["kstart"] = e.get(pos, 1)
            p_row = e.at(s["P"], b.mul(si, e.i64(n_params)))
            begin_chunk(e, s, v, ta, e.get(tb), e.get(h), e.addr(p_row), work, n, n_dyn, end_chunk)
            with e.range(0, n_params) as j:
                b.store(e.get(p_row, j), lane_at(Pv, j))
            b.store(s["rtol"], lane_at(Cv, 1))
            with e.range(0, n_dyn) as i:
                b.store(e.get(s["atol"], i), lane_at(Cv, b.add(i, e.i64(2))))
            L["phase"] = e.i64(1)
            b.branch(head)
        t1 = L["t1"]
        with e.when(b.not_(e.cmp("<", L["t"], t1))):
            end_chunk()
        with e.when(e.cmp(">=", L["steps"], s["max_steps"])):
            save_and_drop(STATUS_MAX_STEPS)
        h = size_step(e, v, L["hmax"], t1, end_chunk, lambda: save_and_drop(STATUS_STEP_TOO_SMALL))
        b.store(h, lane_at(Cv, 0))
        with e.range(0, n) as i:
            b.store(e.get(y, i), lane_at(Yv, i))
        b.ret(e.i64(1))
    b.unreachable()


def _post(e: Emit, n: int, n_dyn: int, n_params: int, W: int):
    """``post(..., lane)``: the lane's step taken by ``vstep``, judged and used as ``driver.integrate``
    judges and uses its step (``nakpump.compile.judge``: the growth check, rejection, the
    controller, rows, events)."""
    b = e.b
    As, Ds, real, whole, Ov, lane = e.f.args
    L = _Lane(e, real, whole)
    s = _cell_slots(e, As, Ds, L["cell"])
    y, pos = s["y"], s["pos"]
    jac = e.var(e.D, count=n * n_dyn)
    p_row = e.at(s["P"], b.mul(e.get(pos, 0), e.i64(n_params)))

    def out(k):
        return e.get(Ov, b.add(b.mul(k if not isinstance(k, int) else e.i64(k), e.i64(W)), lane))

    count_attempt(e, s)
    v = L.pointers()
    growth_check(e, s, v, out, jac, e.addr(y), e.addr(p_row), n, n_dyn, b.ret_void)
    fac = judge(e, s, v, out, n, b.ret_void)
    use_step(e, s, v, out, fac, L["t1"], n)
    b.ret_void()

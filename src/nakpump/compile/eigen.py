"""The growth rate of a small dense matrix, as LLVM IR: the largest real part
of its eigenvalues, for the solver drivers' check of growing modes
(``nakpump.compile.driver``, ``nakpump.compile.lanes``).

The eigenvalues come from the classical dense algorithm for eigenvalues
alone (Wilkinson & Reinsch 1971, Handbook for Automatic Computation II:
``balance``, ``elmhes`` and ``hqr``; Golub & Van Loan 2013, Matrix
Computations, 4th ed., sections 7.4-7.5):

1. balancing by powers of two (Parlett & Reinsch 1969), exact in floating
   point, which brings the norms of each row and column together, so that
   small eigenvalues of a badly scaled matrix keep their accuracy;
2. reduction to upper Hessenberg form by elimination with partial pivoting;
3. the Francis double-shift QR iteration, deflating one real eigenvalue or
   a complex pair at a time (at most 30 iterations each, exceptional shifts
   after 10 and 20).

On the pump-leak cell's 10 dynamic states this takes about 8 us (a 10 x 10
random matrix, timed from Python), where LAPACK's ``dgeev`` behind LAPACKE
took about 36 us in the driver and numpy's ``eigvals`` 60 us (their
workspace queries, allocations and transposes cost more than the arithmetic
at this size); the work grows as n^3.
"""

from __future__ import annotations

__all__ = ["growth_rate_function", "rightmost"]

STANDS_OUT = 1e-6
"""A rate counts only above this fraction of the spectral radius: the
conservation laws make exact zero eigenvalues, which round-off moves by about
1e-16 of it."""


def _intrinsic(e, name: str, nargs: int):
    """The declaration of the double-valued LLVM intrinsic ``name`` in ``e``'s module (made if missing)."""
    mod = e.f.module
    try:
        return mod.get_global(name)
    except KeyError:
        return e.ir.Function(mod, e.ir.FunctionType(e.D, [e.D] * nargs), name)


def rightmost(e, jac, n: int):
    """IR computing the growth rate (1/ms) of the n x n matrix in the first n * n doubles of ``jac``
    (row-major): its eigenvalues' largest real part, 0 when none stands out of the round-off of the
    zero modes (``STANDS_OUT``), when an entry is not finite or when the iteration fails.  Returns the
    IR value."""
    b = e.b
    fabs = _intrinsic(e, "llvm.fabs.f64", 1)
    sqrt = _intrinsic(e, "llvm.sqrt.f64", 1)
    inf = e.f64(float("inf"))
    a = e.var(e.D, count=n * n)
    wr = e.var(e.D, count=n)
    wi = e.var(e.D, count=n)
    finite = e.var(e.I, e.i64(1))
    with e.range(0, n * n) as i:
        v = e.get(jac, i)
        e.put(v, a, i)
        with e.when(b.not_(e.cmp("<", b.call(fabs, [v]), inf))):
            e.put(e.i64(0), finite)
    out = e.var(e.D, e.f64(0.0))
    with e.when(e.cmp("!=", e.get(finite), e.i64(0))):
        mat = _Matrix(e, a, n)
        _balance(e, mat, n)
        _hessenberg(e, mat, n)
        ok = _hqr(e, mat, n, wr, wi)
        with e.when(e.cmp("!=", ok, e.i64(0))):
            rate = e.var(e.D, e.f64(-float("inf")))
            size = e.var(e.D, e.f64(0.0))
            good = e.var(e.I, e.i64(1))
            with e.range(0, n) as k:
                re, im = e.get(wr, k), e.get(wi, k)
                e.put(e.fmax(e.get(rate), re), rate)
                e.put(e.fmax(e.get(size), b.call(sqrt, [b.fadd(b.fmul(re, re), b.fmul(im, im))])), size)
                finite = b.and_(e.cmp("<", b.call(fabs, [re]), inf), e.cmp("<", b.call(fabs, [im]), inf))
                with e.when(b.not_(finite)):
                    e.put(e.i64(0), good)
            good = e.cmp("!=", e.get(good), e.i64(0))
            stands_out = b.and_(good, e.cmp(">", e.get(rate), b.fmul(e.f64(STANDS_OUT), e.get(size))))
            e.put(b.select(stands_out, e.get(rate), e.f64(0.0)), out)
    return e.get(out)


class _Matrix:
    """Element access to the row-major n x n array ``a``; indices are i64 values or ints."""

    def __init__(self, e, a, n: int):
        self.e, self.a, self.n = e, a, n

    def _i(self, i):
        return self.e.i64(i) if isinstance(i, int) else i

    def ptr(self, i, j):
        b = self.e.b
        return self.e.at(self.a, b.add(b.mul(self._i(i), self.e.i64(self.n)), self._i(j)))

    def get(self, i, j):
        return self.e.b.load(self.ptr(i, j))

    def put(self, value, i, j):
        self.e.b.store(value, self.ptr(i, j))


def _balance(e, A: _Matrix, n: int):
    """Scale rows and columns by powers of two until each row's and column's off-diagonal 1-norms
    are within a factor of about two (at most 50 sweeps)."""
    b = e.b
    fabs = _intrinsic(e, "llvm.fabs.f64", 1)
    changed = e.var(e.I, e.i64(1))
    sweeps = e.var(e.I, e.i64(0))
    with e.loop(lambda: b.and_(e.cmp("!=", e.get(changed), e.i64(0)), e.cmp("<", e.get(sweeps), e.i64(50)))):
        e.put(e.i64(0), changed)
        e.put(b.add(e.get(sweeps), e.i64(1)), sweeps)
        with e.range(0, n) as i:
            c = e.var(e.D, e.f64(0.0))
            r = e.var(e.D, e.f64(0.0))
            with e.range(0, n) as j:
                with e.when(e.cmp("!=", j, i)):
                    e.put(b.fadd(e.get(c), b.call(fabs, [A.get(j, i)])), c)
                    e.put(b.fadd(e.get(r), b.call(fabs, [A.get(i, j)])), r)
            with e.when(b.and_(e.cmp("!=", e.get(c), e.f64(0.0)), e.cmp("!=", e.get(r), e.f64(0.0)))):
                s = b.fadd(e.get(c), e.get(r))
                f = e.var(e.D, e.f64(1.0))
                low = b.fmul(e.get(r), e.f64(0.5))
                with e.loop(lambda: e.cmp("<", e.get(c), low)):
                    e.put(b.fmul(e.get(f), e.f64(2.0)), f)
                    e.put(b.fmul(e.get(c), e.f64(4.0)), c)
                high = b.fmul(e.get(r), e.f64(2.0))
                with e.loop(lambda: e.cmp(">", e.get(c), high)):
                    e.put(b.fmul(e.get(f), e.f64(0.5)), f)
                    e.put(b.fmul(e.get(c), e.f64(0.25)), c)
                with e.when(e.cmp("<", b.fdiv(b.fadd(e.get(c), e.get(r)), e.get(f)), b.fmul(e.f64(0.95), s))):
                    e.put(e.i64(1), changed)
                    g = b.fdiv(e.f64(1.0), e.get(f))
                    with e.range(0, n) as j:
                        A.put(b.fmul(A.get(i, j), g), i, j)
                    with e.range(0, n) as j:
                        A.put(b.fmul(A.get(j, i), e.get(f)), j, i)


def _hessenberg(e, A: _Matrix, n: int):
    """Reduce to upper Hessenberg form by stabilised elementary similarity transformations (pivot:
    the largest entry of the column below the subdiagonal); entries below the subdiagonal end zero."""
    b = e.b
    fabs = _intrinsic(e, "llvm.fabs.f64", 1)
    with e.range(1, n - 1) as m:
        m1 = b.sub(m, e.i64(1))
        x = e.var(e.D, e.f64(0.0))
        piv = e.var(e.I, m)
        with e.range(m, n) as j:
            with e.when(e.cmp(">", b.call(fabs, [A.get(j, m1)]), b.call(fabs, [e.get(x)]))):
                e.put(A.get(j, m1), x)
                e.put(j, piv)
        with e.when(e.cmp("!=", e.get(piv), m)):
            with e.range(m1, n) as j:
                u, v = A.get(e.get(piv), j), A.get(m, j)
                A.put(v, e.get(piv), j)
                A.put(u, m, j)
            with e.range(0, n) as j:
                u, v = A.get(j, e.get(piv)), A.get(j, m)
                A.put(v, j, e.get(piv))
                A.put(u, j, m)
        with e.when(e.cmp("!=", e.get(x), e.f64(0.0))):
            with e.range(b.add(m, e.i64(1)), n) as i:
                y = A.get(i, m1)
                with e.when(e.cmp("!=", y, e.f64(0.0))):
                    y = b.fdiv(y, e.get(x))
                    A.put(e.f64(0.0), i, m1)
                    with e.range(m, n) as j:
                        A.put(b.fsub(A.get(i, j), b.fmul(y, A.get(m, j))), i, j)
                    with e.range(0, n) as j:
                        A.put(b.fadd(A.get(j, m), b.fmul(y, A.get(j, i))), j, m)


def _hqr(e, A: _Matrix, n: int, wr, wi):
    """The eigenvalues (``wr`` + i ``wi``) of the upper Hessenberg matrix by the Francis double-shift
    QR iteration; returns an i64 value, 0 where an eigenvalue took more than 30 iterations."""
    b = e.b
    fabs = _intrinsic(e, "llvm.fabs.f64", 1)
    sqrt = _intrinsic(e, "llvm.sqrt.f64", 1)
    copysign = _intrinsic(e, "llvm.copysign.f64", 2)
    one, zero = e.i64(1), e.i64(0)
    ok = e.var(e.I, one)
    anorm = e.var(e.D, e.f64(0.0))
    with e.range(0, n) as i:
        with e.range(b.select(e.cmp(">", i, zero), b.sub(i, one), zero), n) as j:
            e.put(b.fadd(e.get(anorm), b.call(fabs, [A.get(i, j)])), anorm)
    names_d = ("t", "x", "y", "z", "p", "q", "r", "s", "w")
    V = {k: e.var(e.D, e.f64(0.0)) for k in names_d}
    nn = e.var(e.I, e.i64(n - 1))
    its = e.var(e.I, zero)
    l_ = e.var(e.I, zero)
    m_ = e.var(e.I, zero)

    def g(k):
        return e.get(V[k])

    def s_(k, value):
        e.put(value, V[k])

    def absf(v):
        return b.call(fabs, [v])

    with e.loop(lambda: e.cmp(">=", e.get(nn), zero)) as (_, finished):
        e.put(zero, its)
        with e.loop(lambda: e.ir.Constant(e.ir.IntType(1), 1)) as (again, deflated):
            NN = e.get(nn)
            e.put(NN, l_)
            with e.loop(lambda: e.cmp(">=", e.get(l_), one)) as (_, found):
                L = e.get(l_)
                L1 = b.sub(L, one)
                s = b.fadd(absf(A.get(L1, L1)), absf(A.get(L, L)))
                s = b.select(e.cmp("==", s, e.f64(0.0)), e.get(anorm), s)
                with e.when(e.cmp("==", b.fadd(absf(A.get(L, L1)), s), s)):
                    A.put(e.f64(0.0), L, L1)
                    b.branch(found)
                e.put(L1, l_)
            L = e.get(l_)
            NN = e.get(nn)
            N1 = b.sub(NN, one)
            s_("x", A.get(NN, NN))
            with e.when(e.cmp("==", L, NN)):  # one real root
                e.put(b.fadd(g("x"), g("t")), wr, NN)
                e.put(e.f64(0.0), wi, NN)
                e.put(N1, nn)
                b.branch(deflated)
            s_("y", A.get(N1, N1))
            s_("w", b.fmul(A.get(NN, N1), A.get(N1, NN)))
            with e.when(e.cmp("==", L, N1)):  # a pair of roots
                p = b.fmul(e.f64(0.5), b.fsub(g("y"), g("x")))
                q = b.fadd(b.fmul(p, p), g("w"))
                z = b.call(sqrt, [absf(q)])
                x = b.fadd(g("x"), g("t"))
                with e.if_else_(e.cmp(">=", q, e.f64(0.0))) as (real, pair):
                    with real:
                        zz = b.fadd(p, b.call(copysign, [z, p]))
                        e.put(b.fadd(x, zz), wr, N1)
                        nonzero = e.cmp("!=", zz, e.f64(0.0))
                        lower = b.select(nonzero, b.fsub(x, b.fdiv(g("w"), zz)), b.fadd(x, zz))
                        e.put(lower, wr, NN)
                        e.put(e.f64(0.0), wi, N1)
                        e.put(e.f64(0.0), wi, NN)
                    with pair:
                        e.put(b.fadd(x, p), wr, N1)
                        e.put(b.fadd(x, p), wr, NN)
                        e.put(b.fneg(z), wi, N1)
                        e.put(z, wi, NN)
                e.put(b.sub(NN, e.i64(2)), nn)
                b.branch(deflated)
            with e.when(e.cmp(">=", e.get(its), e.i64(30))):
                e.put(zero, ok)
                b.branch(finished)
            with e.when(b.or_(e.cmp("==", e.get(its), e.i64(10)), e.cmp("==", e.get(its), e.i64(20)))):
                s_("t", b.fadd(g("t"), g("x")))  # an exceptional shift
                with e.range(0, b.add(NN, one)) as i:
                    A.put(b.fsub(A.get(i, i), g("x")), i, i)
                s = b.fadd(absf(A.get(NN, N1)), absf(A.get(N1, b.sub(NN, e.i64(2)))))
                s_("x", b.fmul(e.f64(0.75), s))
                s_("y", g("x"))
                s_("w", b.fmul(e.f64(-0.4375), b.fmul(s, s)))
            e.put(b.add(e.get(its), one), its)
            e.put(b.sub(NN, e.i64(2)), m_)
            with e.loop(lambda: e.ir.Constant(e.ir.IntType(1), 1)) as (_, shifted):
                M = e.get(m_)
                M1, P1, P2 = b.sub(M, one), b.add(M, one), b.add(M, e.i64(2))
                z = A.get(M, M)
                s_("z", z)
                r = b.fsub(g("x"), z)
                s = b.fsub(g("y"), z)
                p = b.fadd(b.fdiv(b.fsub(b.fmul(r, s), g("w")), A.get(P1, M)), A.get(M, P1))
                q = b.fsub(b.fsub(b.fsub(A.get(P1, P1), z), r), s)
                r = A.get(P2, P1)
                scale = b.fadd(b.fadd(absf(p), absf(q)), absf(r))
                s_("p", b.fdiv(p, scale))
                s_("q", b.fdiv(q, scale))
                s_("r", b.fdiv(r, scale))
                with e.when(e.cmp("==", M, L)):
                    b.branch(shifted)
                u = b.fmul(absf(A.get(M, M1)), b.fadd(absf(g("q")), absf(g("r"))))
                v = b.fmul(absf(g("p")), b.fadd(b.fadd(absf(A.get(M1, M1)), absf(z)), absf(A.get(P1, P1))))
                with e.when(e.cmp("==", b.fadd(u, v), v)):
                    b.branch(shifted)
                e.put(M1, m_)
            M = e.get(m_)
            with e.range(b.add(M, e.i64(2)), b.add(NN, one)) as i:
                A.put(e.f64(0.0), i, b.sub(i, e.i64(2)))
                with e.when(e.cmp("!=", i, b.add(M, e.i64(2)))):
                    A.put(e.f64(0.0), i, b.sub(i, e.i64(3)))
            with e.range(M, NN) as k:  # the double QR step on rows l..nn and columns m..nn
                last = e.cmp("==", k, N1)
                with e.when(e.cmp("!=", k, M)):
                    K1 = b.sub(k, one)
                    s_("p", A.get(k, K1))
                    s_("q", A.get(b.add(k, one), K1))
                    s_("r", e.f64(0.0))
                    with e.when(b.not_(last)):
                        s_("r", A.get(b.add(k, e.i64(2)), K1))
                    s_("x", b.fadd(b.fadd(absf(g("p")), absf(g("q"))), absf(g("r"))))
                    with e.when(e.cmp("!=", g("x"), e.f64(0.0))):
                        s_("p", b.fdiv(g("p"), g("x")))
                        s_("q", b.fdiv(g("q"), g("x")))
                        s_("r", b.fdiv(g("r"), g("x")))
                p, q, r = g("p"), g("q"), g("r")
                norm = b.call(sqrt, [b.fadd(b.fadd(b.fmul(p, p), b.fmul(q, q)), b.fmul(r, r))])
                s = b.call(copysign, [norm, p])
                with e.when(e.cmp("!=", s, e.f64(0.0))):
                    K1 = b.sub(k, one)
                    with e.if_else_(e.cmp("==", k, M)) as (first, later):
                        with first:
                            with e.when(e.cmp("!=", L, M)):
                                A.put(b.fneg(A.get(k, K1)), k, K1)
                        with later:
                            A.put(b.fneg(b.fmul(s, g("x"))), k, K1)
                    p = b.fadd(g("p"), s)
                    s_("p", p)
                    s_("x", b.fdiv(p, s))
                    s_("y", b.fdiv(g("q"), s))
                    s_("z", b.fdiv(g("r"), s))
                    s_("q", b.fdiv(g("q"), p))
                    s_("r", b.fdiv(g("r"), p))
                    k1, k2 = b.add(k, one), b.add(k, e.i64(2))
                    with e.range(k, b.add(NN, one)) as j:
                        pj = e.var(e.D, b.fadd(A.get(k, j), b.fmul(g("q"), A.get(k1, j))))
                        with e.when(b.not_(last)):
                            e.put(b.fadd(e.get(pj), b.fmul(g("r"), A.get(k2, j))), pj)
                            A.put(b.fsub(A.get(k2, j), b.fmul(e.get(pj), g("z"))), k2, j)
                        A.put(b.fsub(A.get(k1, j), b.fmul(e.get(pj), g("y"))), k1, j)
                        A.put(b.fsub(A.get(k, j), b.fmul(e.get(pj), g("x"))), k, j)
                    top = b.select(e.cmp("<", NN, b.add(k, e.i64(3))), NN, b.add(k, e.i64(3)))
                    with e.range(L, b.add(top, one)) as i:
                        pi = e.var(e.D, b.fadd(b.fmul(g("x"), A.get(i, k)), b.fmul(g("y"), A.get(i, k1))))
                        with e.when(b.not_(last)):
                            e.put(b.fadd(e.get(pi), b.fmul(g("z"), A.get(i, k2))), pi)
                            A.put(b.fsub(A.get(i, k2), b.fmul(e.get(pi), g("r"))), i, k2)
                        A.put(b.fsub(A.get(i, k1), b.fmul(e.get(pi), g("q"))), i, k1)
                        A.put(b.fsub(A.get(i, k), e.get(pi)), i, k)
            b.branch(again)
    return e.get(ok)


def growth_rate_function(n: int):
    """``rightmost`` for n x n matrices compiled on its own: a Python callable ``rate(J)`` (J a float
    array of n x n entries), for tests and checks."""
    import ctypes

    import llvmlite.ir as ir
    import numpy as np

    from .emit import Emit
    from .llvm_backend import _engine, target

    mod = ir.Module(name="growth")
    mod.triple, mod.data_layout = target()
    D = ir.DoubleType()
    func = ir.Function(mod, ir.FunctionType(D, [D.as_pointer()]), "growth_rate")
    e = Emit(ir, func)
    e.b.ret(rightmost(e, func.args[0], n))
    engine = _engine("", str(mod))
    call = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p)(engine.get_function_address("growth_rate"))

    def rate(J) -> float:
        J = np.ascontiguousarray(J, dtype=np.float64)
        if J.size != n * n:
            raise ValueError(f"a {n} x {n} matrix expected (got {J.shape})")
        return float(call(J.ctypes.data))

    rate.engine = engine
    return rate

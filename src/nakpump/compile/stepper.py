"""One step of Rodas4 for one cell, as a single expression graph compiled
by LLVM: the step the solver driver (``nakpump.compile.driver``) takes.

Everything a step computes is written out for this cell's structure:

- f(y) and the exact Jacobian J(y) (``nakpump.compile.jacobian``), sharing
  their subexpressions;
- the LU factors of the dynamic block of M = I/(h gamma) - J, on its sparsity
  pattern, eliminated in a minimum-degree order with the diagonal as pivots
  (the order and the fill-in found here, at compile time);
- the six stages (the right-hand side traced at each stage's point), each a
  sparse triangular solve; the ledger's running totals, whose columns of J
  are zero, follow from the dynamic block explicitly (k_q = h gamma (b_q +
  J_qy k_y)) and stay out of the error norm;
- the new state, the scaled error norm, the dense output's two vectors, a
  Gershgorin bound on the growth rates (for the driver's check of unstable
  modes) and the largest LU multiplier.

Diagonal pivots: M's diagonal is 1/(h gamma) - J_ii with J_ii <= 0 for the
decay of gates, kinetic states, charge and amounts, so the pivots only grow
as h shrinks, where M tends to I/(h gamma).  The driver rejects a step whose
largest multiplier exceeds ``MAX_MULTIPLIER`` and retries it shorter, so an
unfortunate matrix costs steps, never accuracy.

    step(y, p, c, out)
      y    the state (n)            p  parameters
      c    [h (ms), rtol, atol_0 .. atol_{n_dyn-1}]
      out  [y_new (n), kd1 (n), kd2 (n), error norm, largest multiplier,
            Gershgorin bound (1/ms), dV/dt at y (mV/ms) of state ``i_still``]
"""

from __future__ import annotations

from .jacobian import jacobian_stores
from .tableau import GAMMA
from .tableau import A as STAGE_POINTS
from .tableau import C as STAGE_CORRECTIONS
from .tableau import H as DENSE
from .trace import Graph, Node, traceable

__all__ = ["MAX_MULTIPLIER", "N_EXTRA", "elimination_order", "step_graph"]

MAX_MULTIPLIER = 1e3
"""The largest LU multiplier a step accepts (partial pivoting keeps them at
most 1; threshold-pivoting sparse codes allow 10 to 100)."""

N_EXTRA = 4
"""``out[3 n + k]``, k < N_EXTRA: the error norm (k = 0), the largest
multiplier (1), the Gershgorin bound (2), dV/dt (3)."""


def elimination_order(pattern: list[set[int]]) -> list[int]:
    """A fill-reducing order of elimination for the square sparsity
    ``pattern`` (row -> columns): minimum degree on the symmetrised pattern
    (ties to the lower index), as in George & Liu (1989) Computer Solution of
    Large Sparse Positive Definite Systems, SIAM Review 31:1-19."""
    n = len(pattern)
    adjacent = [set() for _ in range(n)]
    for i, row in enumerate(pattern):
        for j in row:
            if j != i:
                adjacent[i].add(j)
                adjacent[j].add(i)
    left = set(range(n))
    order = []
    while left:
        k = min(left, key=lambda v: (len(adjacent[v]), v))
        near = adjacent[k]
        for a in near:
            adjacent[a] |= near - {a}
            adjacent[a].discard(k)
        left.discard(k)
        order.append(k)
    return order


def _lu(g: Graph, M: dict[int, dict[int, Node]], order: list[int]):
    """In-place LU of the sparse ``M`` (rows of {column: node}) eliminated in
    ``order``, diagonal pivots: returns (L rows {k: l_ik}, U rows {j: u_ij}
    for j after i, 1/u_ii, the largest |l|); "after" is in ``order``."""
    n = len(order)
    rank = {k: r for r, k in enumerate(order)}
    lower: list[dict[int, Node]] = [{} for _ in range(n)]
    inv = [None] * n
    biggest = g.const(0.0)
    for r, k in enumerate(order):
        inv[k] = g.binary("div", g.const(1.0), M[k][k])
        right = sorted((j for j in M[k] if rank[j] > r), key=rank.get)
        for i in order[r + 1:]:
            if k not in M[i]:
                continue
            lik = g.binary("mul", M[i].pop(k), inv[k])
            lower[i][k] = lik
            size = g.unary("abs", lik)
            biggest = g.where(g.compare("gt", size, biggest), size, biggest)
            for j in right:
                term = g.binary("mul", lik, M[k][j])
                M[i][j] = g.binary("sub", M[i][j], term) if j in M[i] else g.unary("neg", term)
    upper = [{j: v for j, v in M[i].items() if rank[j] > rank[i]} for i in range(n)]
    return lower, upper, inv, biggest


def step_graph(gen, n: int, n_dyn: int, n_params: int, i_still: int) -> tuple[Graph, list[tuple[int, Node]]]:
    """The graph of ``step`` (module docstring) for the generated model ``gen``
    (``numba_backend.Generated``) with ``n`` states of which ``n_dyn`` are
    dynamic, and the stores of ``out``.  Raises ``NotTraceable``."""
    from .numba_backend import CONSTANTS

    g = Graph()
    rhs_traced = traceable(("y", "p", "dy"), gen.rhs_body, gen.kernels, CONSTANTS)
    y = [g.leaf("y", j) for j in range(n)]
    p = [g.leaf("p", j) for j in range(n_params)]
    h, rtol = g.leaf("c", 0), g.leaf("c", 1)
    atol = [g.leaf("c", 2 + i) for i in range(n_dyn)]

    def f(at: list[Node]) -> list[Node]:
        dy = [None] * n
        rhs_traced(at, p, dy)
        return [g.lift(v) for v in dy]

    f0 = f(y)
    J: list[dict[int, Node]] = [{} for _ in range(n)]
    for flat, node in jacobian_stores(g, f0, n_dyn):
        J[flat // n_dyn][flat % n_dyn] = node
    hg = g.binary("mul", h, g.const(GAMMA))
    inv_h = g.binary("div", g.const(1.0), h)
    M = [{j: g.unary("neg", v) for j, v in J[i].items()} for i in range(n_dyn)]
    fac = g.binary("div", g.const(1.0), hg)
    for i in range(n_dyn):
        M[i][i] = g.binary("add", M[i][i], fac) if i in M[i] else fac
    order = elimination_order([set(row) for row in M])
    rank = {k: r for r, k in enumerate(order)}
    lower, upper, inv, biggest = _lu(g, M, order)

    def solve(b: list[Node]) -> list[Node]:
        x = list(b[:n_dyn])
        for i in order:
            for k, lik in sorted(lower[i].items(), key=lambda kv: rank[kv[0]]):
                x[i] = g.binary("sub", x[i], g.binary("mul", lik, x[k]))
        for i in reversed(order):
            for j, uij in sorted(upper[i].items(), key=lambda kv: rank[kv[0]]):
                x[i] = g.binary("sub", x[i], g.binary("mul", uij, x[j]))
            x[i] = g.binary("mul", x[i], inv[i])
        for q in range(n_dyn, n):
            s = b[q]
            for j, jqj in sorted(J[q].items()):
                s = g.binary("add", s, g.binary("mul", jqj, x[j]))
            x.append(g.binary("mul", hg, s))
        return x

    def combine(base: list[Node] | None, coefs, ks: list[list[Node]]) -> list[Node]:
        out = []
        for i in range(n):
            s = base[i] if base is not None else None
            for c, k in zip(coefs, ks, strict=False):
                term = g.binary("mul", g.const(c), k[i])
                s = term if s is None else g.binary("add", s, term)
            out.append(s if s is not None else g.const(0.0))
        return out

    ks: list[list[Node]] = []
    point = y
    for stage in range(6):
        if stage == 0:
            fs = f0
        else:
            point = combine(y, STAGE_POINTS[stage], ks) if stage < 5 else [g.binary("add", a, b)
                                                                  for a, b in zip(point, ks[4], strict=True)]
            fs = f(point)
        if STAGE_CORRECTIONS[stage]:
            corr = combine(None, STAGE_CORRECTIONS[stage], ks)
            b = [g.binary("add", fi, g.binary("mul", ci, inv_h)) for fi, ci in zip(fs, corr, strict=True)]
        else:
            b = fs
        ks.append(solve(b))
    y_new = [g.binary("add", a, b) for a, b in zip(point, ks[5], strict=True)]
    total = g.const(0.0)
    for i in range(n_dyn):
        size = g.where(g.compare("ge", g.unary("abs", y[i]), g.unary("abs", y_new[i])), g.unary("abs", y[i]),
                       g.unary("abs", y_new[i]))
        e = g.binary("div", ks[5][i], g.binary("add", atol[i], g.binary("mul", rtol, size)))
        total = g.binary("add", total, g.binary("mul", e, e))
    err = g.unary("sqrt", g.binary("div", total, g.const(float(n_dyn))))
    kd1 = combine(None, DENSE[0], ks[:5])
    kd2 = combine(None, DENSE[1], ks[:5])
    bound = _gershgorin(g, J, n_dyn)
    stores = [(i, v) for i, v in enumerate(y_new)] + [(n + i, v) for i, v in enumerate(kd1)] + \
        [(2 * n + i, v) for i, v in enumerate(kd2)]
    base = 3 * n
    stores += [(base, err), (base + 1, biggest), (base + 2, bound), (base + 3, f0[i_still])]
    return g, stores


def _gershgorin(g: Graph, J: list[dict[int, Node]], n_dyn: int) -> Node:
    """The smaller of the row and the column Gershgorin bounds (1/ms) on the
    real parts of the dynamic block's eigenvalues."""
    zero = g.const(0.0)

    def biggest(values: list[Node]) -> Node:
        out = values[0]
        for v in values[1:]:
            out = g.where(g.compare("gt", v, out), v, out)
        return out

    rows, cols = [], []
    for i in range(n_dyn):
        r = c = J[i].get(i, zero)
        for j in range(n_dyn):
            if j != i:
                if j in J[i]:
                    r = g.binary("add", r, g.unary("abs", J[i][j]))
                if i in J[j]:
                    c = g.binary("add", c, g.unary("abs", J[j][i]))
        rows.append(r)
        cols.append(c)
    r, c = biggest(rows), biggest(cols)
    return g.where(g.compare("le", r, c), r, c)

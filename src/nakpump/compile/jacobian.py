"""The exact Jacobian of a cell's right-hand side.

``jacobian_stores`` differentiates the traced right-hand side (its graph,
``nakpump.compile.trace``) forward (each node carries its
partial derivatives with respect to the dynamic states it depends on, built
as nodes of the same graph, so the derivative shares every subexpression
with the value) and returns the structural non-zeros of

    J[i, j] = d(dy_i/dt)/dy_j    for the dynamic states j < n_dyn

for every row i, the ledger's running totals included (the solver advances
them with the dynamic block).  ``nakpump.compile.machine`` compiles them
into ``jac(y, p, J)``.
"""

from __future__ import annotations

import math

from .trace import COMPARE, LEAVES, Graph, Node, NotTraceable

__all__ = ["jacobian_stores", "NotTraceable"]


def _derivatives(g: Graph, outputs: list[Node], n_dyn: int) -> list[dict[int, Node]]:
    """For each output, column -> the node of its partial derivative."""
    need = set()
    stack = list(outputs)
    while stack:
        node = stack.pop()
        if node.index in need:
            continue
        need.add(node.index)
        if node.op not in LEAVES and node.op != "const":
            stack.extend(node.args)
    one = g.const(1.0)
    d: dict[int, dict[int, Node]] = {}

    def scaled(coef: Node, da: dict[int, Node]) -> dict[int, Node]:
        return {j: g.binary("mul", coef, v) for j, v in da.items()}

    for k in sorted(need):
        node = g.nodes[k]
        op = node.op
        if op == "y":
            d[k] = {node.args[0]: one} if node.args[0] < n_dyn else {}
            continue
        if op in LEAVES or op == "const" or op in COMPARE:
            d[k] = {}
            continue
        if op == "where":
            c, a, b = node.args
            da, db = d[a.index], d[b.index]
            zero = g.const(0.0)
            d[k] = {j: g.where(c, da.get(j, zero), db.get(j, zero)) for j in sorted(da.keys() | db.keys())}
            continue
        if len(node.args) == 1:
            a = node.args[0]
            da = d[a.index]
            if not da:
                d[k] = {}
                continue
            d[k] = {j: g.unary("neg", v) for j, v in da.items()} if op == "neg" else scaled(
                _unary_slope(g, op, node, a), da)
            continue
        a, b = node.args
        da, db = d[a.index], d[b.index]
        if not da and not db:
            d[k] = {}
            continue
        out: dict[int, Node] = {}
        if op in ("add", "sub"):
            for j in sorted(da.keys() | db.keys()):
                if j not in db:
                    out[j] = da[j]
                elif j not in da:
                    out[j] = db[j] if op == "add" else g.unary("neg", db[j])
                else:
                    out[j] = g.binary(op, da[j], db[j])
        elif op == "mul":
            for j in sorted(da.keys() | db.keys()):
                terms = []
                if j in da:
                    terms.append(g.binary("mul", da[j], b))
                if j in db:
                    terms.append(g.binary("mul", a, db[j]))
                out[j] = terms[0] if len(terms) == 1 else g.binary("add", *terms)
        elif op == "div":  # d(a/b) = (da - (a/b) db) / b
            for j in sorted(da.keys() | db.keys()):
                if j not in db:
                    out[j] = g.binary("div", da[j], b)
                else:
                    num = g.binary("mul", node, db[j])
                    num = g.binary("sub", da[j], num) if j in da else g.unary("neg", num)
                    out[j] = g.binary("div", num, b)
        elif op == "pow":
            if b.is_const:  # c a^(c-1) da
                c = b.value
                coef = g.binary("mul", g.const(c), a if c == 2.0 else g.binary("pow", a, g.const(c - 1.0)))
                out = scaled(coef, da)
            else:  # a^b (db log a + b da / a)
                log_a = g.unary("log", a)
                for j in sorted(da.keys() | db.keys()):
                    terms = []
                    if j in db:
                        terms.append(g.binary("mul", db[j], log_a))
                    if j in da:
                        terms.append(g.binary("div", g.binary("mul", b, da[j]), a))
                    inner = terms[0] if len(terms) == 1 else g.binary("add", *terms)
                    out[j] = g.binary("mul", node, inner)
        else:
            raise NotTraceable(f"no derivative for the operation {op!r}")
        d[k] = out
    return [d[o.index] for o in outputs]


def _unary_slope(g: Graph, op: str, node: Node, a: Node) -> Node:
    """d op(a) / da as a node."""
    one = g.const(1.0)
    if op == "exp":
        return node
    if op == "expm1":
        return g.unary("exp", a)
    if op == "log":
        return g.binary("div", one, a)
    if op == "log1p":
        return g.binary("div", one, g.binary("add", one, a))
    if op == "log10":
        return g.binary("div", g.const(1.0 / math.log(10.0)), a)
    if op == "sqrt":
        return g.binary("div", g.const(0.5), node)
    if op == "tanh":
        return g.binary("sub", one, g.binary("mul", node, node))
    if op == "sinh":
        return g.unary("cosh", a)
    if op == "cosh":
        return g.unary("sinh", a)
    if op == "sin":
        return g.unary("cos", a)
    if op == "cos":
        return g.unary("neg", g.unary("sin", a))
    if op == "atan":
        return g.binary("div", one, g.binary("add", one, g.binary("mul", a, a)))
    if op == "abs":
        return g.where(g.compare("ge", a, g.const(0.0)), one, g.const(-1.0))
    raise NotTraceable(f"no derivative for the operation {op!r}")


def jacobian_stores(g: Graph, dy: list[Node], n_dyn: int) -> list[tuple[int, Node]]:
    """The structural non-zeros of the Jacobian of ``dy`` (nodes of ``g``) as
    (flat index into J of shape (len(dy), n_dyn), node), row by row."""
    parts = _derivatives(g, dy, n_dyn)
    return [(i * n_dyn + j, node) for i, part in enumerate(parts) for j, node in sorted(part.items())
            if not (node.is_const and node.value == 0.0)]

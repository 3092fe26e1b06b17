"""Tracing the model's right-hand side into an expression graph.

The generated ``rhs`` is straight-line code over the mechanisms' kernels, and
the kernels do their math through ``xp``.  Run with ``xp`` bound to this
module's namespace (``TRACE_XP``) and ``y``, ``p`` lists of leaf nodes, the
same code builds a graph of ``Node``s instead of numbers: one node per
distinct operation (identical operations on identical arguments are one
node, so common subexpressions are shared), constants folded.  The
Jacobian (``nakpump.compile.jacobian``) is derived from that graph, so it
comes from the same kernel definitions as the right-hand side.

A kernel that branches on a value in Python (``if x > 0:``) cannot be traced:
``Node.__bool__`` raises ``NotTraceable`` and the cell keeps the
finite-difference Jacobian.
"""

from __future__ import annotations

import math
import numbers
import types

__all__ = ["Graph", "Node", "NotTraceable", "TRACE_XP", "trace_function", "traceable"]


class NotTraceable(Exception):
    """The right-hand side does something the tracer cannot follow."""


UNARY = {
    "exp": math.exp, "log": math.log, "sqrt": math.sqrt, "expm1": math.expm1, "log1p": math.log1p,
    "tanh": math.tanh, "sinh": math.sinh, "cosh": math.cosh, "sin": math.sin, "cos": math.cos,
    "atan": math.atan, "log10": math.log10, "neg": lambda a: -a, "abs": abs,
}
BINARY = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "pow": lambda a, b: a ** b,
}
LEAVES = ("y", "p", "c")
"""The kinds of leaf: a state, a parameter, a solver's control (``nakpump.compile.stepper``)."""
COMPARE = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}
_COMPARED = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
             "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}


class Node:
    """One value of the traced computation: an operation ``op`` on ``args``
    (nodes), a leaf (``op`` one of ``LEAVES``, its vector index in ``args``) or a
    constant (``op`` "const", its float in ``value``).  ``index`` orders the
    nodes so that arguments come before their uses."""

    __slots__ = ("graph", "op", "args", "value", "index")

    def __init__(self, graph, op, args, value, index):
        self.graph, self.op, self.args, self.value, self.index = graph, op, args, value, index

    @property
    def is_const(self) -> bool:
        return self.op == "const"

    def __repr__(self) -> str:
        return f"Node({self.op}, {self.value if self.is_const else self.args})"

    # arithmetic builds nodes
    def __add__(self, other):
        return self.graph.binary("add", self, other)

    def __radd__(self, other):
        return self.graph.binary("add", other, self)

    def __sub__(self, other):
        return self.graph.binary("sub", self, other)

    def __rsub__(self, other):
        return self.graph.binary("sub", other, self)

    def __mul__(self, other):
        return self.graph.binary("mul", self, other)

    def __rmul__(self, other):
        return self.graph.binary("mul", other, self)

    def __truediv__(self, other):
        return self.graph.binary("div", self, other)

    def __rtruediv__(self, other):
        return self.graph.binary("div", other, self)

    def __pow__(self, other):
        return self.graph.binary("pow", self, other)

    def __rpow__(self, other):
        return self.graph.binary("pow", other, self)

    def __neg__(self):
        return self.graph.unary("neg", self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.graph.unary("abs", self)

    def __lt__(self, other):
        return self.graph.compare("lt", self, other)

    def __le__(self, other):
        return self.graph.compare("le", self, other)

    def __gt__(self, other):
        return self.graph.compare("gt", self, other)

    def __ge__(self, other):
        return self.graph.compare("ge", self, other)

    def __eq__(self, other):
        return self.graph.compare("eq", self, other)

    def __ne__(self, other):
        return self.graph.compare("ne", self, other)

    def __bool__(self):
        raise NotTraceable("a kernel branches on a value in Python (use xp.where)")

    def __float__(self):
        if self.is_const:
            return self.value
        raise NotTraceable("a traced value was converted to float")

    __hash__ = object.__hash__


class Graph:
    """The nodes of one traced computation, each made once."""

    def __init__(self):
        self.nodes: list[Node] = []
        self._made: dict = {}

    def _node(self, op, args=(), value=None) -> Node:
        key = (op, value) if op == "const" else (op, args) if op in LEAVES else (
            op, tuple(a.index for a in args))
        node = self._made.get(key)
        if node is None:
            node = Node(self, op, args, value, len(self.nodes))
            self.nodes.append(node)
            self._made[key] = node
        return node

    def const(self, x) -> Node:
        x = float(x)
        return self._node("const", value=x)

    def leaf(self, kind: str, j: int) -> Node:
        return self._node(kind, (j,))

    def lift(self, x) -> Node:
        if isinstance(x, Node):
            if x.graph is not self:
                raise NotTraceable("a node from another trace")
            return x
        if isinstance(x, numbers.Real):
            return self.const(x)
        raise NotTraceable(f"cannot trace a value of type {type(x).__name__}")

    def unary(self, op: str, a) -> Node:
        a = self.lift(a)
        if a.is_const:
            return self.const(UNARY[op](a.value))
        if op == "neg" and a.op == "neg":
            return a.args[0]
        return self._node(op, (a,))

    def binary(self, op: str, a, b) -> Node:
        a, b = self.lift(a), self.lift(b)
        if a.is_const and b.is_const:
            try:
                return self.const(BINARY[op](a.value, b.value))
            except (ZeroDivisionError, OverflowError, ValueError):
                pass
        zero_a = a.is_const and a.value == 0.0
        zero_b = b.is_const and b.value == 0.0
        one_a = a.is_const and a.value == 1.0
        one_b = b.is_const and b.value == 1.0
        if op == "add":
            if zero_a:
                return b
            if zero_b:
                return a
        elif op == "sub":
            if zero_b:
                return a
            if zero_a:
                return self.unary("neg", b)
        elif op == "mul":
            if one_a:
                return b
            if one_b:
                return a
        elif op == "div":
            if one_b:
                return a
        elif op == "pow":
            if one_b:
                return a
        return self._node(op, (a, b))

    def compare(self, op: str, a, b) -> Node:
        a, b = self.lift(a), self.lift(b)
        if a.is_const and b.is_const:  # folded to 1 or 0, which ``where`` takes as known
            return self.const(float(_COMPARED[op](a.value, b.value)))
        return self._node(op, (a, b))

    def where(self, c, a, b) -> Node:
        c, a, b = self.lift(c), self.lift(a), self.lift(b)
        if c.is_const:
            return a if c.value else b
        if c.op not in COMPARE:
            raise NotTraceable("xp.where needs a comparison as its condition")
        if a is b:
            return a
        return self._node("where", (c, a, b))


class _TraceXP(types.ModuleType):
    """The array namespace for tracing: each function builds nodes of the
    graph of its (node) arguments; on plain numbers it computes them."""

    def __init__(self):
        super().__init__("nakpump.compile.trace.xp")
        for name, op in (("exp", "exp"), ("log", "log"), ("sqrt", "sqrt"), ("expm1", "expm1"),
                         ("log1p", "log1p"), ("tanh", "tanh"), ("sinh", "sinh"), ("cosh", "cosh"),
                         ("sin", "sin"), ("cos", "cos"), ("arctan", "atan"), ("log10", "log10"),
                         ("abs", "abs")):
            setattr(self, name, self._unary(op))

    @staticmethod
    def _graph(*xs):
        for x in xs:
            if isinstance(x, Node):
                return x.graph
        return None

    def _unary(self, op):
        def f(a):
            g = self._graph(a)
            return UNARY[op](float(a)) if g is None else g.unary(op, a)
        f.__name__ = op
        return f

    def power(self, a, b):
        g = self._graph(a, b)
        return float(a) ** float(b) if g is None else g.binary("pow", a, b)

    def where(self, c, a, b):
        g = self._graph(c, a, b)
        if g is None:
            return a if c else b
        return g.where(c, a, b)

    def maximum(self, a, b):
        g = self._graph(a, b)
        return (a if a >= b else b) if g is None else g.where(g.compare("ge", a, b), a, b)

    def minimum(self, a, b):
        g = self._graph(a, b)
        return (a if a <= b else b) if g is None else g.where(g.compare("le", a, b), a, b)


TRACE_XP = _TraceXP()
"""Bound as the kernels' ``xp`` (and as ``np`` of the generated code) while tracing."""


def traceable(args: tuple[str, ...], body, kernels: dict, constants: dict):
    """The generated function ``def f(*args): body`` (``body``: its lines) as
    Python with the kernels bound to ``TRACE_XP``: called on lists of nodes it
    builds their graph (``trace_function``; the Rosenbrock step of
    ``nakpump.compile.stepper`` calls it once per stage)."""
    from .kernels import bind

    namespace = {"np": TRACE_XP, **constants, **{name: bind(f, TRACE_XP) for name, f in kernels.items()}}
    source = f"def traced({', '.join(args)}):\n" + "\n".join(body or ["    pass"]) + "\n"
    exec(compile(source, "<traced>", "exec"), namespace)
    return namespace["traced"]


def trace_function(args: tuple[str, ...], body, kernels: dict, constants: dict, sizes: dict[str, int],
                   inputs: tuple[str, ...] = ("y", "p")) -> tuple[Graph, dict[str, list]]:
    """Run the generated function ``def f(*args): body`` (``body``: its
    lines) on leaf nodes: each argument named in ``inputs`` is a list of leaf
    nodes (``y[j]``, ``p[k]``), the others lists of None for the function to
    fill; ``sizes`` gives each list's length.  Returns the graph and every
    argument's list as the function left it (an input it wrote to holds the
    new nodes).  Raises ``NotTraceable``."""
    g = Graph()
    lists = {a: [g.leaf(a, j) for j in range(sizes[a])] if a in inputs else [None] * sizes[a] for a in args}
    traced = traceable(args, body, kernels, constants)
    try:
        traced(*(lists[a] for a in args))
    except NotTraceable:
        raise
    except (TypeError, AttributeError, ValueError) as exc:
        raise NotTraceable(f"the generated code could not be traced: {exc}") from None
    for a in args:
        if any(v is None for v in lists[a]):
            raise NotTraceable(f"the generated code left an entry of {a} unset")
        lists[a] = [g.lift(v) for v in lists[a]]
    return g, lists

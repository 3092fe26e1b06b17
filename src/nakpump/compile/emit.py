"""A small structured layer over llvmlite's IR builder, for the IR written by
hand (the drivers, ``nakpump.compile.driver`` and ``nakpump.compile.lanes``,
and the growth check's eigenvalues, ``nakpump.compile.eigen``)."""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["Emit", "declare_intrinsics"]


def declare_intrinsics(ir, mod) -> None:
    """Declare in ``mod`` the LLVM intrinsics the drivers call: floor, sqrt, pow and fabs of doubles."""
    D = ir.DoubleType()
    for name, args in (("llvm.floor.f64", [D]), ("llvm.sqrt.f64", [D]), ("llvm.pow.f64", [D, D]),
                       ("llvm.fabs.f64", [D])):
        ir.Function(mod, ir.FunctionType(D, args), name)


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

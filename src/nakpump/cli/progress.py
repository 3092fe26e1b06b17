"""What the command line says while it works, on stderr: a notice when
building the model takes long (the first run compiles it), then the run's
progress in model time, its speed and the time left.  On a terminal a
one-line bar; elsewhere (a pipe, a log) a line every few seconds."""

from __future__ import annotations

import sys
import threading
import time

__all__ = ["Progress", "slow_notice"]


def _clock(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"
    return f"{seconds // 3600:.0f} h {seconds % 3600 // 60:02.0f} min"


class slow_notice:
    """Context manager: if the block is still running after ``after`` seconds,
    print ``message`` once on stderr (unless ``enabled`` is false)."""

    def __init__(self, message: str, enabled: bool = True, after: float = 1.5):
        self.message, self.enabled, self.after = message, enabled, after
        self.timer = None

    def _say(self) -> None:
        sys.stderr.write(f"nakpump: {self.message}\n")
        sys.stderr.flush()

    def __enter__(self):
        if self.enabled:
            self.timer = threading.Timer(self.after, self._say)
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.timer is not None:
            self.timer.cancel()


class Progress:
    """Progress of a run of ``duration`` ms: called with the fraction done."""

    def __init__(self, enabled: bool, duration: float, every: float = 5.0):
        self.enabled = enabled
        self.duration = duration
        self.tty = sys.stderr.isatty()
        self.start = None  # set at the first call: building and settling the cell are not the run
        self.f0 = 0.0
        self.last = None
        self.every = every
        self.shown = False

    def text(self, fraction: float) -> str:
        wall = time.perf_counter() - self.start
        model_s = fraction * self.duration / 1000.0
        line = f"{model_s:.4g} of {self.duration / 1000.0:.4g} s model time ({100 * fraction:.1f}%)"
        done = fraction - self.f0
        if done > 0 and wall > 0:
            rate = done * self.duration / 1000.0 / wall
            line += f", {rate:.3g} s per s, about {_clock(wall * (1 - fraction) / done)} left"
        return line

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.start is None:
            self.start, self.f0, self.last = now, fraction, now
            return
        if self.tty:
            if now - self.start < 1.0:
                return
            n = int(20 * fraction)
            sys.stderr.write(f"\r  [{'#' * n}{' ' * (20 - n)}] {self.text(fraction)}   ")
            self.shown = True
        elif self.last is None or now - self.last >= self.every:
            sys.stderr.write(f"nakpump: {self.text(fraction)}\n")
            self.last = now
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 110 + "\r")
            sys.stderr.flush()

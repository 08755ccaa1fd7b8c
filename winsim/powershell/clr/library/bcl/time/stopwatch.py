"""System.Diagnostics.Stopwatch over the host clock (winsim.host.clock), with a 10 MHz frequency. Restart()
is .NET 4.0: marked so CLR 2.0 lacks it."""

from __future__ import annotations

from winsim.host import clock
from winsim.powershell.clr import values
from winsim.powershell.clr.library.bcl.objects import since
from winsim.powershell.clr.library.bcl.time.timespan import TICKS_PER_MS, TICKS_PER_SECOND, TimeSpan
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

FREQUENCY = TICKS_PER_SECOND


def timestamp() -> int:
    return round(clock.now() * FREQUENCY)


@clr_type("System.Diagnostics.Stopwatch",
          fields={"Frequency": values.Int64(FREQUENCY), "IsHighResolution": True})
class Stopwatch:
    def __init__(self) -> None:
        self.elapsed = 0
        self.started: int | None = None

    def ticks(self) -> int:
        running = timestamp() - self.started if self.started is not None else 0
        return self.elapsed + max(0, running)

    @constructor()
    @staticmethod
    def create(rt):
        return Stopwatch()

    @method("StartNew", returns="System.Diagnostics.Stopwatch", static=True)
    def start_new(rt):
        watch = Stopwatch()
        watch.started = timestamp()
        return watch

    @method("GetTimestamp", returns="long", static=True)
    def get_timestamp(rt):
        return values.Int64(timestamp())

    @method("Start")
    def start(self, rt):
        if self.started is None:
            self.started = timestamp()

    @method("Stop")
    def stop(self, rt):
        if self.started is not None:
            self.elapsed = self.ticks()
            self.started = None

    @method("Reset")
    def reset(self, rt):
        self.elapsed, self.started = 0, None

    @since(4)
    @method("Restart")
    def restart(self, rt):
        self.elapsed, self.started = 0, timestamp()

    @getter("IsRunning", "bool")
    def is_running(self, rt):
        return self.started is not None

    @getter("Elapsed", "System.TimeSpan")
    def get_elapsed(self, rt):
        return TimeSpan(self.ticks())

    @getter("ElapsedMilliseconds", "long")
    def elapsed_milliseconds(self, rt):
        return values.Int64(self.ticks() // TICKS_PER_MS)

    @getter("ElapsedTicks", "long")
    def elapsed_ticks(self, rt):
        return values.Int64(self.ticks())

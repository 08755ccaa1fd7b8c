"""System.Random: .NET's subtractive generator (Knuth's), so a seeded Random gives the numbers .NET gives.
The parameterless constructor seeds from the tick count, here the host clock's milliseconds."""

from __future__ import annotations

from winsim.host import clock
from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentNullException, ArgumentOutOfRangeException
from winsim.powershell.clr.typesystem import clr_type, constructor, method

MBIG = values.INT32_MAX
MSEED = 161803398


@clr_type("System.Random")
class Random:
    def __init__(self, seed: int) -> None:
        subtraction = MBIG if seed == values.INT32_MIN else abs(seed)
        mj = MSEED - subtraction
        seeds = [0] * 56
        seeds[55] = mj
        mk = 1
        for i in range(1, 55):
            ii = (21 * i) % 55
            seeds[ii] = mk
            mk = mj - mk
            if mk < 0:
                mk += MBIG
            mj = seeds[ii]
        for _ in range(4):
            for i in range(1, 56):
                seeds[i] = _int32(seeds[i] - seeds[1 + (i + 30) % 55])
                if seeds[i] < 0:
                    seeds[i] += MBIG
        self.seeds, self.inext, self.inextp = seeds, 0, 21

    def sample_int(self) -> int:
        inext = self.inext + 1 if self.inext + 1 < 56 else 1
        inextp = self.inextp + 1 if self.inextp + 1 < 56 else 1
        result = self.seeds[inext] - self.seeds[inextp]
        if result == MBIG:
            result -= 1
        if result < 0:
            result += MBIG
        self.seeds[inext] = result
        self.inext, self.inextp = inext, inextp
        return result

    def sample(self) -> float:
        return self.sample_int() * (1.0 / MBIG)

    def _large_sample(self) -> float:
        result = self.sample_int()
        if self.sample_int() % 2 == 0:
            result = -result
        return (result + (MBIG - 1.0)) / (2.0 * MBIG - 1.0)

    @constructor()
    @staticmethod
    def create(rt):
        return Random(_int32(int(clock.now() * 1000)) & 0x7FFFFFFF)

    @constructor("int")
    @staticmethod
    def create_seeded(rt, seed):
        return Random(seed)

    @method("Next", returns="int")
    def next_any(self, rt):
        return self.sample_int()

    @method("Next", "int", returns="int")
    def next_below(self, rt, maximum):
        if maximum < 0:
            raise ArgumentOutOfRangeException("'maxValue' must be greater than zero.", "maxValue")
        return int(self.sample() * maximum)

    @method("Next", "int", "int", returns="int")
    def next_between(self, rt, minimum, maximum):
        if minimum > maximum:
            raise ArgumentOutOfRangeException("'minValue' cannot be greater than maxValue.", "minValue")
        span = maximum - minimum
        if span <= MBIG:
            return int(self.sample() * span) + minimum
        return int(self._large_sample() * span) + minimum

    @method("NextDouble", returns="double")
    def next_double(self, rt):
        return self.sample()

    @method("NextBytes", "byte[]")
    def next_bytes(self, rt, buffer):
        if buffer is None:
            raise ArgumentNullException(None, "buffer")
        for index in range(len(buffer)):
            buffer[index] = self.sample_int() % 256


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value

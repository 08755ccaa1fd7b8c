"""The numeric primitives and their formatting and parsing; System.Math; System.Random."""

from winsim.powershell.clr.library.bcl.numerics import math, primitives, random

__all__ = ["math", "primitives", "random"]

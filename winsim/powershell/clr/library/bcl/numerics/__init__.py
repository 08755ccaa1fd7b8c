"""The numeric primitives and their formatting and parsing; System.Math."""

from winsim.powershell.clr.library.bcl.numerics import math, primitives

__all__ = ["math", "primitives"]

"""Time: DateTime, TimeSpan, their formats and parsing; Stopwatch."""

from winsim.powershell.clr.library.bcl.time import datetime, timespan

__all__ = ["datetime", "timespan"]

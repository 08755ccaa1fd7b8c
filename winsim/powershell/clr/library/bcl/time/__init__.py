"""Time: DateTime, TimeSpan, their formats and parsing; Stopwatch."""

from winsim.powershell.clr.library.bcl.time import datetime, stopwatch, timespan

__all__ = ["datetime", "stopwatch", "timespan"]

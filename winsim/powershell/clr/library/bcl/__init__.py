"""The .NET base class library (the part not backed by the host model); importing it registers its types.

Modules, bottom-up: objects (Object, ValueType, Boolean, interfaces, Marshal), enum_members (System.Enum),
comparison (ordinal/culture string order, Comparer.Default), collections/, strings and chars, numerics/
(primitives, Parse/TryParse, ToString formats, Math), arrays, text/ (StringBuilder, Encoding, Regex,
composite formatting, Convert, BitConverter), time/ (DateTime, TimeSpan, CultureInfo, Stopwatch, Guid),
io/ (Stream, MemoryStream, GZipStream, hash algorithms).
"""

from winsim.powershell.clr.library.bcl import collections, enum_members, objects

__all__ = ["collections", "enum_members", "objects"]

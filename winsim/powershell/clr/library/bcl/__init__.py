"""The .NET base class library (the part not backed by the host model); importing it registers its types.

Modules, bottom-up: objects (Object, ValueType, Boolean, interfaces, Marshal, TypeCode), enum_members
(System.Enum), comparison (ordinal and culture string order, Comparer.Default), collections/, text_rules,
string_search, string_statics, composite_format, strings (System.String), chars, globalization (CultureInfo,
NumberStyles), numerics/ (primitives, their formats and parsing, Math), arrays (System.Array), guid, text/ (Encoding,
StringBuilder, Regex, Convert, BitConverter), time/ (DateTime, TimeSpan, Stopwatch), io/ (Stream, MemoryStream,
GZipStream, hash algorithms).

The surface is .NET Framework 2.0/3.5's. Members .NET 4 added are declared marked with objects.since(4) (the
attribute __clr_since__), which the language's binder hides from processes on CLR 2.0 (PowerShell 2.0).

Where the model is knowingly approximate (each module says more): Hashtable enumerates in insertion order (.NET's
bucket order rests on comparer hashes, and PowerShell's @{} uses the culture's, which the model has not);
culture-sensitive string order is an approximation of Windows' sort tables for en-US; a regex group keeps only
its last capture; GZipStream writes zlib's deflate, not .NET 2.0's; host-dependent behaviour (the clock, FIPS
policy, .NET 3.5 presence, the process's pointer size) is read from the Runtime's host and process.
"""

from winsim.powershell.clr.library.bcl import (
    arrays,
    chars,
    collections,
    enum_members,
    globalization,
    guid,
    io,
    numerics,
    objects,
    strings,
    text,
    time,
)

__all__ = ["arrays", "chars", "collections", "enum_members", "globalization", "guid", "io", "numerics", "objects",
           "strings", "text", "time"]

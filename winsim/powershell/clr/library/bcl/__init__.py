"""The .NET base class library (the part not backed by the host model); importing it registers its types.

Modules, bottom-up: objects (Object, ValueType, Boolean, interfaces, Marshal, TypeCode), enum_members
(System.Enum), comparison (ordinal and culture string order, Comparer.Default), collections/, text_rules,
string_search, string_statics, composite_format, strings (System.String), chars, globalization (CultureInfo,
NumberStyles), numerics/ (primitives, their formats and parsing, Math), arrays (System.Array), guid, text/ (Encoding,
StringBuilder, Regex, Convert, BitConverter), time/ (DateTime, TimeSpan, Stopwatch), io/ (Stream, MemoryStream,
GZipStream, hash algorithms).
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

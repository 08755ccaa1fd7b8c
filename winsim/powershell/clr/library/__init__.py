"""The .NET class library of winsim's PowerShell: importing this package registers every type.

- bcl/   the base class library: primitives and their members, collections, text, regular expressions,
         conversions, dates, globalization, cryptography, streams, the exception types.
- host/  the types backed by the host model: file system, registry, services, WMI, event log, processes,
         environment (host/__init__.py imports its own modules).
"""

from winsim.powershell.clr.library import bcl, host

__all__ = ["bcl", "host"]

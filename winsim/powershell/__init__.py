"""Windows PowerShell, as winsim's hosts run it: an interpreter of the PowerShell language (2.0 semantics by
default, 5.1 where the host has it) over a .NET class library backed by the host model.

Layers (each imports only those below it):
- `clr/`      the .NET side: value representation, the type system and its registry, exceptions, and the
              class library (`clr/library/...`): primitive types, collections, text, and the types backed by
              the host model (file system, registry, services, WMI, event log, processes).
- the language (parser, evaluator, conversions, operators, scopes, cmdlets) in this package.
- `winsim.host.runtime` runs powershell.exe through it.

Everything here models documented Windows PowerShell and .NET behaviour; nothing keys on the scripts it runs.
"""

from winsim.powershell import coverage as _coverage  # noqa: F401 - flushes statement coverage at exit when asked

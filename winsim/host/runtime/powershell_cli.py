"""powershell.exe's own arguments: which script it runs (-EncodedCommand, -Command, -Command -, -File)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

_PARAMETERS = ("psconsolefile", "version", "nologo", "noexit", "sta", "mta", "noprofile", "noninteractive",
               "inputformat", "outputformat", "windowstyle", "encodedcommand", "configurationname", "file",
               "executionpolicy", "command", "help")
_TAKES_VALUE = frozenset(("psconsolefile", "version", "inputformat", "outputformat", "windowstyle",
                          "encodedcommand", "configurationname", "file", "executionpolicy"))
_ALIASES = {"e": "encodedcommand", "ec": "encodedcommand", "c": "command", "f": "file", "ep": "executionpolicy",
            "nop": "noprofile", "noni": "noninteractive", "?": "help"}
BAD_ENCODING = ("Cannot process the command because the value specified with -EncodedCommand is not properly "
                "encoded. The value must be Base64 encoded.")


@dataclass
class PowerShellCall:
    script: str | None                 # the script text, when there is one to run
    source: str                        # "encoded", "command", "stdin", "file", "interactive"
    options: dict[str, str | bool] = field(default_factory=dict)
    error: str | None = None           # what powershell.exe itself says before running anything


def _parameter(word: str) -> str | None:
    name = word.casefold()
    if name in _ALIASES:
        return _ALIASES[name]
    matches = [p for p in _PARAMETERS if p.startswith(name)]
    return matches[0] if len(matches) == 1 else None


def parse_powershell_arguments(args: list[str], stdin: bytes = b"") -> PowerShellCall:
    options: dict[str, str | bool] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg[:1] not in ("-", "/") or len(arg) < 2:
            return PowerShellCall(" ".join(args[i:]), "command", options)
        name = _parameter(arg[1:])
        if name is None:
            return PowerShellCall(None, "unknown", options, f"Unknown powershell.exe parameter {arg}.")
        if name == "command":
            rest = args[i + 1:]
            if rest == ["-"]:
                return PowerShellCall(stdin.decode("utf-8", errors="replace"), "stdin", options)
            return PowerShellCall(" ".join(rest), "command", options)
        if name in _TAKES_VALUE:
            if i + 1 >= len(args):
                return PowerShellCall(None, name, options, f"Missing argument for parameter {arg}.")
            value = args[i + 1]
            if name == "encodedcommand":
                try:
                    script = base64.b64decode(value, validate=True).decode("utf-16-le")
                except (binascii.Error, UnicodeDecodeError):
                    return PowerShellCall(None, "encoded", options, BAD_ENCODING)
                return PowerShellCall(script, "encoded", options)
            if name == "file":
                return PowerShellCall(None, "file", {**options, "file": value})
            options[name] = value
            i += 2
        else:
            options[name] = True
            i += 1
    return PowerShellCall(None, "interactive", options)

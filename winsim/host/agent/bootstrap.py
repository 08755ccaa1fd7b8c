"""The agent's bootstrap as Windows PowerShell runs it: stdin read as lines, the script's digest checked.

- PowerShell hands a script its stdin as lines ($input): decoded with the console's OEM code page (437 on an
  English Windows) and split as TextReader.ReadLine splits (CR LF, CR or LF; no empty line after the last).
- The bootstrap keeps the script lines before the separator line and the request lines after it. It compares
  the SHA-256 of the script's non-blank lines (trailing whitespace removed, joined with LF) with the digest it
  was built with (the single-quoted literal it assigns to its `...Digest` variable): a mismatch or a missing
  separator is answered with the fixed agent_corrupt response, and the script does not run.
- PowerShell 1.0 has no try/catch: a script using them stops at the first `try`, a command it cannot find.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MARKER = "# protocol: win-primitive-agent/1"
SEPARATOR = "### win-primitive-agent request ###"
CORRUPT_RESPONSE = ('{"protocol":"win-primitive-agent/1","ok":false,"agent":null,"results":[],"error":'
                    '{"op":null,"kind":"agent_corrupt","code":null,"message":"agent script on stdin is missing or '
                    'damaged","exception":null}}')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EXPECTED_DIGEST = re.compile(r"^\s*\$\w*digest\s*=\s*'([^']*)'\s*$", re.IGNORECASE | re.MULTILINE)
_TRY = re.compile(r"^(\s*)try(?=\s*(\{|$))", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class AgentInput:
    script_lines: list[str]
    request_lines: list[str] | None  # None when the separator line is missing


def stdin_lines(stdin: bytes) -> list[str]:
    lines = _LINE_BREAK.split(stdin.decode("cp437"))
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def is_agent_stdin(stdin: bytes) -> bool:
    """An agent invocation's stdin starts with the protocol marker line."""
    first = stdin.split(b"\n", 1)[0].removesuffix(b"\r")
    return first == MARKER.encode("ascii")


def split_input(lines: list[str]) -> AgentInput:
    if SEPARATOR not in lines:
        return AgentInput(lines, None)
    at = lines.index(SEPARATOR)
    return AgentInput(lines[:at], lines[at + 1:])


def script_digest(script_lines: list[str]) -> str:
    kept = [line.rstrip() for line in script_lines if line.strip()]
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()


def expected_digest(bootstrap: str) -> str | None:
    """The digest the bootstrap was built with, or None when the script is not such a bootstrap."""
    found = _EXPECTED_DIGEST.findall(bootstrap)
    return found[0] if len(found) == 1 else None


def powershell1_failure(script: str) -> str | None:
    """What PowerShell 1.0 writes to stderr when it reaches the script's first `try`; None without one."""
    match = _TRY.search(script)
    if match is None:
        return None
    line_number = script.count("\n", 0, match.start()) + 1
    line = script.split("\n")[line_number - 1]
    column = len(match.group(1)) + 4
    return ("The term 'try' is not recognized as a cmdlet, function, operable program, or script file. Verify the "
            f"term and try again.\r\nAt line:{line_number} char:{column}\r\n+ {line[:column - 1]} <<<< "
            f"{line[column - 1:].lstrip()}\r\n")

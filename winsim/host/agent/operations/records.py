"""The state root and the record helpers that locks, state records and processes share.

Records are small files under %SystemRoot%\\Temp\\win-primitive-agent: lock\\<name>.lock, state\\<name>.json,
process\\... (protocol 6.1), kept at the paths the PowerShell agent uses so that file operations see them.
"""

from __future__ import annotations

import math
import re

from winsim.host import clock
from winsim.host.agent.arguments import Arguments
from winsim.host.agent.context import AgentContext
from winsim.host.agent.errors import from_win32, invalid_argument
from winsim.host.errors import ERROR_INVALID_NAME, Win32Error
from winsim.host.filesystem import FileSystem
from winsim.host.paths import WinPath, parse

STATE_ROOT = "Temp\\win-primitive-agent"
_RECORD_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")
_DEVICE_NAME = re.compile(r"(?i:CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\.|$)")


def state_directory(ctx: AgentContext, area: str, *, create: bool = False) -> WinPath:
    """Read operations never create it: they do not change the host."""
    directory = parse(f"{ctx.env['SystemRoot']}\\{STATE_ROOT}\\{area}")
    if create and not ctx.host.fs.is_dir(directory):
        try:
            ctx.host.fs.make_dir(directory)
        except Win32Error as error:
            raise from_win32(error, str(directory)) from error
    return directory


def record_name(args: Arguments) -> str:
    name = args.get("name", "string", required=True)
    if not _RECORD_NAME.fullmatch(name) or _DEVICE_NAME.match(name):
        raise invalid_argument(f"record name '{name}' is not allowed", ERROR_INVALID_NAME)
    return name


def utc_second() -> float:
    """Now, cut to whole seconds like every protocol time."""
    return float(math.floor(clock.now()))


def read_text(fs: FileSystem, path: WinPath) -> str | None:
    if not fs.is_file(path):
        return None
    return fs.read_file(path).decode("ascii", errors="replace")


def write_text(fs: FileSystem, path: WinPath, text: str) -> None:
    """Replace a record in one step: written beside it, then swapped in."""
    temporary = parse(str(path) + ".tmp")
    fs.write_file(temporary, text.encode("ascii"))
    fs.move_file(temporary, path, replace=True)

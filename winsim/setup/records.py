"""What setup leaves behind besides the components: its registry records and its log file.

- `...\\Setup\\OC Manager\\MasterInfs\\Errors`: cleared when a setup run starts; when it fails, one REG_SZ
  value named after the file the error concerns (component INF, master INF or answer file), whose data is
  `<component>: error <Win32 code>: <message>` (`setup` when no component is concerned).
- `...\\Setup\\OC Manager\\Subcomponents`: one REG_DWORD per subcomponent setup installed (1) or removed (0),
  as Windows 2000's OC Manager keeps them; setup reads it to know what is installed.
- The log: plain text appended to `%windir%\\iis4setup.log` (setup.exe) or `%windir%\\ocmgr.log` (sysocmgr),
  one timestamped line per thing setup did, ending with its exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winsim.host import clock
from winsim.host.errors import Win32Error
from winsim.host.registry import RegType
from winsim.setup.errors import SetupError

if TYPE_CHECKING:
    from winsim.host import Host

OC_MANAGER_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup\OC Manager"
ERRORS_KEY = OC_MANAGER_KEY + r"\MasterInfs\Errors"
SUBCOMPONENTS_KEY = OC_MANAGER_KEY + r"\Subcomponents"


def clear_errors(host: Host) -> None:
    if host.registry.key_exists(ERRORS_KEY):
        for value in host.registry.values(ERRORS_KEY):
            host.registry.delete_value(ERRORS_KEY, value.name)


def record_error(host: Host, error: SetupError, default_file: str) -> None:
    host.registry.set_value(ERRORS_KEY, error.inf or default_file, RegType.REG_SZ,
                            f"{error.component or 'setup'}: error {error.code}: {error.message}")


def recorded_state(host: Host, subcomponent: str) -> bool | None:
    """What the OC Manager record says of a subcomponent: installed, removed, or None (no record)."""
    value = host.registry.read(SUBCOMPONENTS_KEY, subcomponent)
    return None if value is None else bool(value)


def record_state(host: Host, subcomponent: str, installed: bool) -> None:
    host.registry.set_value(SUBCOMPONENTS_KEY, subcomponent, RegType.REG_DWORD, int(installed))


class SetupLog:
    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: list[str] = []
        self._written = 0

    def write(self, text: str) -> None:
        self.lines.append(f"{clock.iso(clock.now())} {text}")

    def flush(self, host: Host) -> None:
        """Append what was logged to the log file (a log that cannot be written is lost, as setup's would be)."""
        pending = self.lines[self._written:]
        if not pending:
            return
        text = "".join(line + "\r\n" for line in pending).encode("cp1252", errors="replace")
        try:
            existing = host.fs.read_file(self.path) if host.fs.is_file(self.path) else b""
            host.fs.write_file(self.path, existing + text)
        except Win32Error:
            return
        self._written = len(self.lines)

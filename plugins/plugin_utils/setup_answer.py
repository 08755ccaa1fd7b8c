# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows NT 4.0 Option Pack unattended setup: answer files, the command line, and its errors.

Option Pack setup (``setup.exe /u:<answer file>``, run from the installation point) takes its mode
from the host; with IIS 4.0 installed it is in maintenance mode, where ``[Global]
MaintanenceMode`` (the Option Pack's spelling) must be given. ``AddRemove`` installs the
``[Components]`` turned ON that are missing and removes those turned OFF that are installed;
subcomponents the file does not name are left as they are. When setup fails it records values
under ``HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\OC Manager\\MasterInfs\\Errors``
and exits with a non-zero code.
"""

from __future__ import annotations

import ntpath
import typing as t

SETUP_PROGRAM = "setup.exe"
SETUP_KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup"
SOURCE_PATH_VALUE = "SourcePath"
ERRORS_KEY = SETUP_KEY + r"\OC Manager\MasterInfs\Errors"
# Where Option Pack setup and OC Manager write their logs, relative to %windir%.
SETUP_LOGS = ("iis4setup.log", "ocmgr.log")
LOG_TAIL_LINES = 20


def answer_file_text(selection: t.Mapping[str, bool]) -> str:
    """An AddRemove answer file turning each named subcomponent ON (True) or OFF (False).

    The text is ASCII with CRLF line ends, as setup's INF reader expects.
    """
    if not selection:
        raise ValueError("an answer file must name at least one subcomponent")
    lines = [
        "[Version]",
        'Signature = "$Windows NT$"',
        "",
        "[Global]",
        "MaintanenceMode = AddRemove",
        "",
        "[Components]",
        *(f"{name} = {'ON' if on else 'OFF'}" for name, on in selection.items()),
        "",
    ]
    return "\r\n".join(lines)


def setup_command_line(source: str, answer_path: str) -> str:
    """``"<source>\\setup.exe" /u:"<answer file>"``: both paths quoted, as Windows parses them."""
    for path in (source, answer_path):
        if '"' in path:
            raise ValueError(f"a path with a double quote cannot be passed to setup: {path}")
    program = ntpath.join(source.rstrip("\\/") + "\\", SETUP_PROGRAM)
    return f'"{program}" /u:"{answer_path}"'


def setup_errors(errors_key: t.Mapping[str, t.Any] | None) -> list[str]:
    """``<value name>: <data>`` for every value setup recorded under the Errors key (a registry.read value)."""
    if not errors_key or not errors_key.get("exists"):
        return []
    found = []
    for name, entry in sorted((errors_key.get("values") or {}).items()):
        if not isinstance(entry, dict):
            continue
        data = entry.get("value")
        text = " ".join(data) if isinstance(data, list) else str(data)
        found.append(f"{name}: {text}" if name else text)
    return found


def log_tail(text: str, lines: int = LOG_TAIL_LINES) -> list[str]:
    """The last ``lines`` non-blank lines of a setup log."""
    kept = [line.rstrip() for line in text.splitlines() if line.strip()]
    return kept[-lines:]


def describe_failure(exit_code: int | None, errors: t.Sequence[str], tail: t.Sequence[str]) -> str:
    """One message for a failed setup run: exit code, recorded errors, then the log's last lines."""
    parts = [f"setup failed with exit code {exit_code}" if exit_code is not None else "setup failed"]
    if errors:
        parts.append("errors recorded by setup: " + "; ".join(errors))
    else:
        parts.append(f"setup recorded no error under {ERRORS_KEY}")
    if tail:
        parts.append("setup log ends with: " + " | ".join(tail[-5:]))
    return ". ".join(parts)

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

import typing as t

SETUP_PROGRAM = "setup.exe"
SETUP_KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup"
SOURCE_PATH_VALUE = "SourcePath"
ERRORS_KEY = SETUP_KEY + r"\OC Manager\MasterInfs\Errors"
# Where Option Pack setup and OC Manager write their logs, relative to %windir%.
SETUP_LOGS = ("iis4setup.log", "ocmgr.log")


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


def newest_log(stats: t.Iterable[t.Mapping[str, t.Any] | None]) -> str | None:
    """The setup log written last, from ``file.stat`` values: ``<path> (<size> bytes, written <time>)``."""
    found = [stat for stat in stats if stat and stat.get("exists") and stat.get("type") == "file"]
    if not found:
        return None
    newest = max(found, key=lambda stat: str(stat.get("mtime") or ""))
    return f"{newest['path']} ({newest['size']} bytes, written {newest['mtime']})"


def describe_failure(exit_code: int | None, errors: t.Sequence[str], log: str | None) -> str:
    """One message for a failed setup run: exit code, the errors setup recorded, where its log is."""
    parts = [f"setup failed with exit code {exit_code}" if exit_code is not None else "setup failed"]
    if errors:
        parts.append("errors recorded by setup: " + "; ".join(error.rstrip(".") for error in errors))
    else:
        parts.append(f"setup recorded no error under {ERRORS_KEY}")
    if log:
        parts.append(f"setup's log: {log}")
    return ". ".join(parts)

# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows path canonicalisation for comparing where IIS and its services live.

Two spellings of one directory must compare equal: case, ``%windir%`` versus
``%SystemRoot%``, ``/`` versus ``\\``, doubled or trailing separators, ``.`` and ``..``
segments, surrounding quotes and the ``\\??\\`` / ``\\\\?\\`` / ``\\SystemRoot`` prefixes of
service image paths. 8.3 short names (``C:\\PROGRA~1``) cannot be resolved without the
host and are compared as written.
"""

from __future__ import annotations

import ntpath
import re
import typing as t

DEFAULT_IIS_DIRECTORY = r"%windir%\system32\inetsrv"
_VARIABLE = re.compile(r"%([^%\\/]+)%")
_DEVICE_PREFIXES = ("\\\\?\\", "\\??\\")


def expand_environment(path: str, env: t.Mapping[str, str | None]) -> str:
    """Replace %NAME% from ``env`` (names compare case-insensitively); unknown names stay as written."""
    lookup = {name.upper(): value for name, value in env.items() if value}

    def substitute(match: re.Match[str]) -> str:
        return lookup.get(match.group(1).upper(), match.group(0))

    return _VARIABLE.sub(substitute, path)


def _fold_case(text: str) -> str:
    # Windows compares names by upper-casing one character at a time; str.upper() alone
    # would expand characters such as "ß" into two.
    return "".join(upper if len(upper := char.upper()) == 1 else char for char in text)


def expanded_path(path: str | None, env: t.Mapping[str, str | None]) -> str | None:
    """The path with variables expanded, quotes and device prefixes removed, separators tidied."""
    if path is None:
        return None
    text = path.strip().strip('"').strip()
    if not text:
        return None
    text = expand_environment(text, env).replace("/", "\\")
    for prefix in _DEVICE_PREFIXES:
        if text.startswith(prefix) and not text.upper().startswith(prefix + "UNC\\"):
            text = text[len(prefix) :]
    if text.upper().startswith("\\SYSTEMROOT\\"):
        root = expand_environment("%SystemRoot%", env)
        if root != "%SystemRoot%":
            text = root + text[len("\\SystemRoot") :]
    return ntpath.normpath(text)


def canonical_path(path: str | None, env: t.Mapping[str, str | None]) -> str | None:
    """A comparison key for a directory or file path; None when there is no usable path."""
    expanded = expanded_path(path, env)
    if expanded is None:
        return None
    if not (len(expanded) == 3 and expanded[1:] == ":\\"):
        expanded = expanded.rstrip("\\")
    return _fold_case(expanded)


def same_path(first: str | None, second: str | None, env: t.Mapping[str, str | None]) -> bool:
    """True when both paths are known and name the same location."""
    left = canonical_path(first, env)
    return left is not None and left == canonical_path(second, env)


def parent_directory(path: str | None, env: t.Mapping[str, str | None]) -> str | None:
    """The directory holding a file path (expanded), or None."""
    expanded = expanded_path(path, env)
    if expanded is None:
        return None
    parent = ntpath.dirname(expanded.rstrip("\\"))
    return parent or None


def default_iis_directory(env: t.Mapping[str, str | None]) -> str | None:
    """``%windir%\\system32\\inetsrv`` expanded; falls back to %SystemRoot%; None if neither is known."""
    for variable in ("windir", "SystemRoot"):
        expanded = expand_environment(f"%{variable}%", env)
        if expanded != f"%{variable}%":
            return ntpath.join(expanded.rstrip("\\/"), "system32", "inetsrv")
    return None

# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rule for where the procedure may write, checked before anything is written.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Removing SMTP and NNTP deletes their data (the mail root, the news store) and setup rewrites files in
the IIS directory (the metabase among them); the overlay replaces files in the installation point. A
backup, an installation point, a lock or a record placed inside such a folder, or around it, is
destroyed with it (a backup folder inside the mail root reported "done" and was then deleted with the
mail). So every place a run writes to must be apart from every place the procedure deletes or replaces:
neither may lie inside the other. Paths are also checked for what Windows refuses in a name, so a bad
path fails before the first write instead of half-way.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import iis_paths
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError

# Characters Windows refuses in file and folder names (Naming Files, Paths, and Namespaces), and
# names it reserves for devices whatever the extension.
_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f]')
_DEVICE = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)
_VARIABLE = re.compile(r"%([^%\\/]+)%")


def variables(path: str) -> list[str]:
    """The %NAME% environment variables a path names, in order."""
    return list(dict.fromkeys(_VARIABLE.findall(path)))


def windows_path_problem(path: str) -> str | None:
    """Why Windows would refuse ``path`` as an absolute drive or UNC path, or None."""
    if path.startswith(("\\\\?\\", "\\\\.\\")):
        return "device paths (\\\\?\\, \\\\.\\) are not accepted"
    if re.match(r"^[A-Za-z]:[\\/]", path):
        rest = path[3:]
    elif path.startswith("\\\\"):
        rest = path[2:]
        server, _separator, share = rest.partition("\\")
        if not server or not share.split("\\")[0]:
            return "a UNC path needs a server and a share"
    else:
        return "it is not an absolute drive (C:\\...) or UNC (\\\\server\\share) path"
    for part in re.split(r"[\\/]", rest):
        if _FORBIDDEN.search(part):
            return f"the name {part!r} holds a character Windows forbids in names (< > : \" | ? * or a control)"
        if _DEVICE.match(part.rstrip(" .")):
            return f"the name {part!r} is reserved by Windows for a device"
        if part != part.rstrip(" .") and part not in (".", ".."):
            return f"the name {part!r} ends with a space or a dot, which Windows drops"
    return None


def expand_path(label: str, path: str, env: t.Mapping[str, str | None]) -> str:
    """``path`` with its %NAME% variables expanded from the host's environment, checked for Windows;
    an IisHotfixError naming the problem otherwise."""
    expanded = iis_paths.expand_environment(path, env)
    unknown = variables(expanded)
    if unknown:
        raise IisHotfixError(f"{label} {path!r} names %{'%, %'.join(unknown)}%, not set on the host; "
                             "nothing was changed")
    problem = windows_path_problem(expanded)
    if problem:
        raise IisHotfixError(f"{label} {path!r} is not a usable Windows path: {problem}; nothing was changed")
    return expanded.rstrip("\\/") if len(expanded.rstrip("\\/")) > 2 else expanded


def _inside(path: str, outer: str, env: t.Mapping[str, str | None]) -> bool:
    here, there = iis_paths.canonical_path(path, env), iis_paths.canonical_path(outer, env)
    if here is None or there is None:
        return False
    return here == there or here.startswith(there.rstrip("\\") + "\\")


def refuse_overlaps(writes: t.Mapping[str, str | None], destroyed: t.Mapping[str, str | None],
                    env: t.Mapping[str, str | None]) -> None:
    """Refuse when a place written (label -> path) lies inside, or holds, a place the procedure deletes or
    replaces (label -> path)."""
    clashes = []
    for label, path in writes.items():
        for what, root in destroyed.items():
            if not path or not root:
                continue
            if _inside(path, root, env):
                clashes.append(f"{label} {path} lies inside {what} {root}")
            elif _inside(path=root, outer=path, env=env):
                clashes.append(f"{label} {path} holds {what} {root}")
    if clashes:
        raise IisHotfixError(
            "; ".join(clashes) + ": the procedure deletes or replaces that data, and what is written there would "
            "go with it. Choose a folder apart from it; nothing was changed", clashes=clashes)

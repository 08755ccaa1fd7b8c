# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which files Option Pack setup will copy from an installation point, read from its INF files.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

An installation point missing one of them lets the removal succeed and the reinstall fail (setup error 2,
file not found), leaving the host without SMTP and NNTP. So the media is checked complete before anything
is removed. INF syntax as Windows Setup reads it (INF File Sections and Directives): case-insensitive
section names, ``;`` comments outside quotes, ``\\`` at the end of a line continues it; ``setup.inf``'s
``[Components]`` names each component's helper DLL and INF; a component INF lists its
``[Optional Components]``, each the name of its install section, whose ``CopyFiles`` entries name
file-list sections (or ``@file`` for one file); a file-list line is ``destination[,source]``.
"""

from __future__ import annotations

import typing as t

MASTER_INF = "setup.inf"


def parse_sections(text: str) -> dict[str, list[str]]:
    """Section name (lower case) -> its lines, comments and blank lines removed."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    pending = ""
    for raw in text.splitlines():
        line = pending + _strip_comment(raw).strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        if not line:
            continue
        if line.startswith("[") and "]" in line:
            current = sections.setdefault(line[1:line.index("]")].strip().lower(), [])
        elif current is not None:
            current.append(line)
    return sections


def _strip_comment(line: str) -> str:
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return line[:index]
    return line


def _fields(line: str) -> list[str]:
    return [field.strip().strip('"').strip() for field in line.split(",")]


def _values(lines: t.Iterable[str], key: str) -> list[str]:
    found = []
    for line in lines:
        name, equals, value = line.partition("=")
        if equals and name.strip().lower() == key:
            found.extend(field for field in _fields(value) if field)
    return found


def component_infs(master_text: str) -> list[str]:
    """The helper DLLs and component INFs setup.inf's [Components] names (file names, as written)."""
    files = []
    for line in parse_sections(master_text).get("components", []):
        _key, equals, value = line.partition("=")
        fields = _fields(value) if equals else []
        files.extend(name for name in (fields[0] if fields else "", fields[2] if len(fields) > 2 else "") if name)
    return list(dict.fromkeys(files))


def copied_files(inf_text: str, components: t.Iterable[str] | None = None) -> list[str]:
    """The source file names the INF's optional components (all, or those named) copy."""
    sections = parse_sections(inf_text)
    wanted = {name.lower() for name in components} if components is not None else None
    files: list[str] = []
    for optional in sections.get("optional components", []):
        name = optional.strip().lower()
        if wanted is not None and name not in wanted:
            continue
        for target in _values(sections.get(name, []), "copyfiles"):
            if target.startswith("@"):
                files.append(target[1:])
                continue
            for line in sections.get(target.lower(), []):
                fields = _fields(line)
                source = fields[1] if len(fields) > 1 and fields[1] else fields[0]
                if source:
                    files.append(source)
    return list(dict.fromkeys(files))


def missing_from_media(read_text: t.Callable[[str], str | None], present: t.Iterable[str]) -> list[str]:
    """What setup will need that the installation point lacks, as "<file> (needed by <inf>)".

    ``read_text`` returns a file of the point by name (case-insensitively), or None; ``present`` lists the
    names it holds. A point without setup.inf is not Option Pack media and is not judged here."""
    have = {name.lower() for name in present}
    master = read_text(MASTER_INF)
    if master is None:
        return []
    missing = []
    for name in component_infs(master):
        if name.lower() not in have:
            missing.append(f"{name} (named by {MASTER_INF})")
            continue
        if not name.lower().endswith(".inf"):
            continue
        for needed in copied_files(read_text(name) or ""):
            if needed.lower() not in have:
                missing.append(f"{needed} (copied by {name})")
    return missing

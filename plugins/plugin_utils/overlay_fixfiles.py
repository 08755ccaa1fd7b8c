# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user's fix files on the controller: found, read and judged before the host is touched.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

The "or later" rule (KB tables list files "with these attributes or later"); a fix file is
accepted when, in this order:
1. the user pinned its sha256 (``sha256: {name: hash}``): the file's sha256 equals the pin.
   Its size may then differ from the KB table: this is how a later build is accepted.
2. the manifest pins a sha256 for it: the file's sha256 equals that pin and its size equals
   the table's.
3. otherwise: its size equals the KB table's size for the platform exactly.
Anything else is refused: a file of another size is never taken silently for a later build.
Independently of the rule, a ``pe`` file must carry the COFF Machine of the platform, and an
``inf`` file must not be a PE image. Dates and versions are not checked: file times do not
survive copying reliably, and the versions of later builds are unknown.
"""

from __future__ import annotations

import hashlib
import re
import typing as t
from dataclasses import dataclass
from pathlib import Path

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import PE, Manifest, ManifestFile
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_platform import PLATFORM_FOLDERS
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.pe_header import (
    NotPeImageError,
    describe_machine,
    read_pe_header,
)

ACCEPTED_BY_PIN = "sha256_pin"
ACCEPTED_BY_MANIFEST_SHA256 = "manifest_sha256"
ACCEPTED_BY_SIZE = "kb_size"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_CHUNK = 1 << 20


class FixFileError(IisHotfixError):
    """One or more fix files are refused; ``problems`` has one sentence per file."""

    def __init__(self, problems: t.Sequence[str], context: str = "") -> None:
        super().__init__(
            f"fix files{context} refused, nothing was changed: " + "; ".join(problems), problems=list(problems)
        )
        self.problems = list(problems)


@dataclass(frozen=True)
class LocalFile:
    """What the checks read from a file on the controller."""

    path: Path
    size: int
    sha256: str
    mtime: float
    machine: int | None  # COFF Machine when the file is a PE image
    pe_problem: str | None  # why it is not a PE image, when it is not


@dataclass(frozen=True)
class CheckedFixFile:
    """A fix file that passed every check, and which rule accepted it."""

    spec: ManifestFile
    local: LocalFile
    accepted_by: str

    @property
    def sha256(self) -> str:
        return self.local.sha256

    @property
    def size(self) -> int:
        return self.local.size


def read_local_file(path: Path) -> LocalFile:
    """Size, sha256, mtime and PE machine of a controller file, in one pass over its bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        try:
            machine, pe_problem = read_pe_header(stream, source=path.name).machine, None
        except NotPeImageError as exc:
            machine, pe_problem = None, exc.reason
        stream.seek(0)
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
        status = path.stat()
    return LocalFile(path, status.st_size, digest.hexdigest(), status.st_mtime, machine, pe_problem)


def check_fix_root(root: Path) -> Path:
    if not root.is_dir():
        raise IisHotfixError(f"fix_files {root} is not a directory on the controller")
    return root


def platform_directory(root: Path, platform: str) -> Path:
    """The folder holding ``platform``'s fix files: ``root/<platform>`` when root has platform
    folders (``x86`` or ``i386``, ``alpha``...; any case), else ``root`` itself."""
    check_fix_root(root)
    folders = {entry.name.casefold(): entry for entry in root.iterdir() if entry.is_dir()}
    for name in PLATFORM_FOLDERS[platform]:
        if name in folders:
            return folders[name]
    others = sorted(
        other for other, names in PLATFORM_FOLDERS.items() if other != platform and any(n in folders for n in names)
    )
    if others:
        wanted = " or ".join(PLATFORM_FOLDERS[platform])
        raise IisHotfixError(
            f"fix_files {root} has folders for {', '.join(others)} but none for {platform} ({wanted})"
        )
    return root


@dataclass(frozen=True)
class Sha256Pins:
    """The user's sha256 pins, checked against the manifest before the host is contacted."""

    by_name: t.Mapping[str, str]  # casefolded name -> hash, any platform
    by_platform: t.Mapping[tuple[str, str], str]  # (platform, casefolded name) -> hash

    def for_platform(self, platform: str) -> dict[str, str]:
        """Pins that apply to ``platform``: a platform-qualified pin wins over a plain one."""
        qualified = {name: pin for (where, name), pin in self.by_platform.items() if where == platform}
        return {**self.by_name, **qualified}


def parse_sha256_pins(pins: t.Mapping[str, t.Any] | None, manifest: Manifest) -> Sha256Pins:
    """Check the ``sha256`` option: 64 hex digits per pin, keys naming files of the manifest.

    A key is a file name (any platform) or ``<platform>/<name>``. A key naming no file of the
    manifest is refused: a typo must not silently leave a later build unpinned.
    """
    problems: list[str] = []
    by_name: dict[str, str] = {}
    by_platform: dict[tuple[str, str], str] = {}
    known = {spec.name.casefold() for files in manifest.platforms.values() for spec in files}
    for key, value in (pins or {}).items():
        if not isinstance(value, str) or not _SHA256.fullmatch(value.strip()):
            problems.append(f"sha256 pin {key}: must be 64 hexadecimal digits, got {value!r}")
            continue
        platform, _sep, name = str(key).replace("\\", "/").rpartition("/")
        platform, name = platform.strip().lower(), name.strip()
        if platform and platform not in manifest.platforms:
            problems.append(f"sha256 pin {key}: {manifest.kb} has no platform {platform}")
        elif name.casefold() not in known:
            problems.append(f"sha256 pin {key}: {manifest.kb} has no file {name}")
        elif platform:
            by_platform[(platform, name.casefold())] = value.strip().lower()
        else:
            by_name[name.casefold()] = value.strip().lower()
    if problems:
        raise IisHotfixError("; ".join(problems), problems=problems)
    return Sha256Pins(by_name, by_platform)


def judge(spec: ManifestFile, local: LocalFile, *, kb: str, platform: str, pin: str | None,
          other_platform_sizes: t.Mapping[str, int]) -> str:
    """The rule that accepts ``local`` as ``spec`` (the module docstring's "or later" rule).

    Raises FixFileError with one problem naming the file and why. ``other_platform_sizes``
    (platform -> size of the same name there) turns a size that belongs to another platform
    into a wrong-platform message.
    """
    problems = [problem for problem in (_content_problem(spec, local, platform),) if problem]
    accepted_by = None
    if pin is not None:
        if local.sha256 == pin:
            accepted_by = ACCEPTED_BY_PIN
        else:
            problems.append(f"{spec.name}: its sha256 {local.sha256} does not match the pin {pin}")
    elif spec.sha256 is not None and local.sha256 != spec.sha256:
        problems.append(
            f"{spec.name}: its sha256 {local.sha256} is not the one the manifest of {kb} gives ({spec.sha256})"
        )
    elif local.size != spec.size:
        problems.append(_size_problem(spec, local, kb, platform, other_platform_sizes))
    else:
        accepted_by = ACCEPTED_BY_MANIFEST_SHA256 if spec.sha256 else ACCEPTED_BY_SIZE
    if problems:
        raise FixFileError(problems)
    return t.cast(str, accepted_by)


def _content_problem(spec: ManifestFile, local: LocalFile, platform: str) -> str | None:
    if spec.kind == PE:
        if local.machine is None:
            return f"{spec.name} is not a PE image ({local.pe_problem}), but {platform} needs a binary"
        if local.machine != spec.machine:
            return (
                f"{spec.name} is a PE image for {describe_machine(local.machine)}, but platform {platform} "
                f"needs {describe_machine(t.cast(int, spec.machine))}"
            )
    elif spec.kind == "inf" and local.machine is not None:
        return f"{spec.name} is a PE image ({describe_machine(local.machine)}), not a setup INF"
    return None


def _size_problem(spec: ManifestFile, local: LocalFile, kb: str, platform: str,
                  other_platform_sizes: t.Mapping[str, int]) -> str:
    stated = f"{spec.name} is {local.size:,} bytes, but {kb} lists {spec.size:,} bytes for {platform}"
    matches = sorted(other for other, size in other_platform_sizes.items() if size == local.size)
    if matches:
        return f"{stated}: that is the size of the {' and '.join(matches)} file, the wrong platform"
    return (
        f"{stated}; a later build is accepted only with its sha256 pinned "
        f"(sha256: {{{spec.name}: {local.sha256}}}) after you have checked where it comes from"
    )


def check_fix_files(manifest: Manifest, platform: str, directory: Path,
                    pins: t.Mapping[str, str]) -> tuple[list[CheckedFixFile], list[str]]:
    """Judge every fix file of ``platform`` found in ``directory``; return them and warnings.

    Every problem of every file is collected before FixFileError is raised, so one run tells
    the user everything that is wrong.
    """
    present: dict[str, list[Path]] = {}
    for entry in sorted(directory.iterdir()):
        if entry.is_file():
            present.setdefault(entry.name.casefold(), []).append(entry)
    wanted = manifest.files_for(platform)
    problems: list[str] = []
    checked: list[CheckedFixFile] = []
    for spec in wanted:
        candidates = present.get(spec.name.casefold(), [])
        if not candidates:
            problems.append(f"{spec.name} is missing from {directory}")
            continue
        if len(candidates) > 1:
            problems.append(f"{spec.name} is ambiguous in {directory}: {', '.join(c.name for c in candidates)}")
            continue
        try:
            local = read_local_file(candidates[0])
        except OSError as exc:
            problems.append(f"{spec.name} cannot be read: {exc}")
            continue
        others = {
            other: next(o.size for o in files if o.name.casefold() == spec.name.casefold())
            for other, files in manifest.platforms.items()
            if other != platform and any(o.name.casefold() == spec.name.casefold() for o in files)
        }
        try:
            accepted_by = judge(spec, local, kb=manifest.kb, platform=platform,
                                pin=pins.get(spec.name.casefold()), other_platform_sizes=others)
        except FixFileError as exc:
            problems.extend(exc.problems)
            continue
        checked.append(CheckedFixFile(spec, local, accepted_by))
    if problems:
        raise FixFileError(problems)
    names = {spec.name.casefold() for spec in wanted}
    ignored = sorted(path.name for paths in present.values() for path in paths if path.name.casefold() not in names)
    warnings = [f"fix_files: ignored {', '.join(ignored)} in {directory} ({manifest.kb} does not list them "
                f"for {platform})"] if ignored else []
    return checked, warnings

# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hotfix manifests: which files a KB's fix replaces in an installation point, per platform.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

A manifest is data (YAML or JSON) with the schema documented in docs/manifests.md. The
collection ships built-in manifests in the ``manifests`` folder next to this file, named
``<KB>.yml``; users may pass their own file. Both go through the same validation, which
reports every problem it finds, each with the place in the document where it is.
"""

from __future__ import annotations

import datetime
import json
import re
import typing as t
from dataclasses import dataclass
from pathlib import Path

import yaml

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_platform import PLATFORM_MACHINES, PLATFORMS
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.pe_header import MACHINES_BY_NAME

MANIFEST_VERSION = 1
BUILTIN_DIRECTORY = Path(__file__).resolve().parent / "manifests"
KINDS = ("inf", "pe", "other")
PE = "pe"
DATE_FORMAT = "%Y-%m-%d %H:%M"

_KB_PATTERN = re.compile(r"(?:Q|KB)\d{5,7}", re.IGNORECASE)
_SHA256_PATTERN = re.compile(r"[0-9a-fA-F]{64}")
_VERSION_PATTERN = re.compile(r"\d+(?:\.\d+){0,3}")
_SIZE_WITH_SEPARATORS = re.compile(r"\d{1,3}(?:[,.' ]\d{3})+")
# Characters Windows refuses in a file or folder name, and the control characters.
_BAD_NAME_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_TOP_LEVEL_KEYS = {"manifest_version", "kb", "title", "applies_to", "platforms"}
_APPLIES_TO_LISTS = {"versions": str, "iis_major": int, "os": str, "services": str}
_FILE_KEYS = {"name", "dest", "kind", "size", "date", "version", "machine", "sha256"}


class ManifestError(IisHotfixError):
    """A manifest cannot be read or breaks the schema; ``problems`` lists every finding."""

    def __init__(self, source: str, problems: t.Sequence[str]) -> None:
        listed = "; ".join(problems)
        super().__init__(f"manifest {source} is invalid: {listed}", problems=list(problems))
        self.source = source
        self.problems = list(problems)


@dataclass(frozen=True)
class ManifestFile:
    """One fix file of one platform, as the KB's table lists it."""

    name: str
    dest: str  # folder inside the installation point, backslash-separated; "" is its root
    kind: str  # inf | pe | other
    size: int
    date: str  # "YYYY-MM-DD HH:MM" as the KB table writes it (no time zone is given there)
    version: str | None = None
    machine: int | None = None  # the COFF Machine a pe file must carry
    sha256: str | None = None  # pins the exact build, lowercase hex

    @property
    def relative_path(self) -> str:
        """Where the file goes, relative to the installation point: ``I386\\Update\\Update.exe``."""
        return f"{self.dest}\\{self.name}" if self.dest else self.name

    def as_dict(self) -> dict[str, t.Any]:
        return {
            "name": self.name,
            "dest": self.dest,
            "kind": self.kind,
            "size": self.size,
            "date": self.date,
            "version": self.version,
            "machine": self.machine,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Manifest:
    kb: str
    title: str
    applies_to: t.Mapping[str, t.Any]
    platforms: t.Mapping[str, tuple[ManifestFile, ...]]
    source: str  # "built-in" or the file it was read from

    def files_for(self, platform: str) -> tuple[ManifestFile, ...]:
        return self.platforms.get(platform, ())

    @property
    def platform_names(self) -> tuple[str, ...]:
        return tuple(self.platforms)


def builtin_manifest_ids() -> tuple[str, ...]:
    """The KB ids of the manifests shipped with the collection, sorted."""
    return tuple(sorted(path.stem for path in BUILTIN_DIRECTORY.glob("*.yml")))


def load_builtin_manifest(kb: str) -> Manifest:
    known = {kb_id.upper(): kb_id for kb_id in builtin_manifest_ids()}
    kb_id = known.get(kb.strip().upper())
    if kb_id is None:
        raise IisHotfixError(f"no built-in manifest for {kb}; built-in: {', '.join(sorted(known.values()))}")
    path = BUILTIN_DIRECTORY / f"{kb_id}.yml"
    manifest = parse_manifest(_read_document(path, f"built-in {kb_id}"), source=f"built-in {kb_id}")
    if manifest.kb != kb_id:
        raise ManifestError(f"built-in {kb_id}", [f"kb: the file {path.name} declares {manifest.kb}"])
    return manifest


def load_manifest_file(path: str | Path) -> Manifest:
    """A user's manifest file (``.json`` is read as JSON, anything else as YAML)."""
    source = str(path)
    return parse_manifest(_read_document(Path(path), source), source=source)


def _read_document(path: Path, source: str) -> t.Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(source, [f"cannot be read: {exc}"]) from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise ManifestError(source, [f"is not valid {kind}: {_one_line(str(exc))}"]) from exc


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_manifest(document: t.Any, *, source: str) -> Manifest:
    """Validate a decoded manifest document; ManifestError lists every problem found."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise ManifestError(source, [f"the document must be a mapping, not {_type_name(document)}"])
    for key in sorted(set(document) - _TOP_LEVEL_KEYS, key=str):
        problems.append(f"{key}: unknown field (known: {', '.join(sorted(_TOP_LEVEL_KEYS))})")
    for key in sorted(_TOP_LEVEL_KEYS - set(document)):
        problems.append(f"{key}: missing required field")

    version = document.get("manifest_version")
    if "manifest_version" in document and (not _is_int(version) or version != MANIFEST_VERSION):
        problems.append(f"manifest_version: this collection reads version {MANIFEST_VERSION}, not {version!r}")
    kb = document.get("kb")
    if "kb" in document and not (isinstance(kb, str) and _KB_PATTERN.fullmatch(kb.strip())):
        problems.append(f"kb: must be a KB article id such as Q197303 or KB2919355, got {kb!r}")
    title = document.get("title")
    if "title" in document and not (isinstance(title, str) and title.strip()):
        problems.append("title: must be a non-empty string")
    applies_to = _applies_to(document.get("applies_to"), problems) if "applies_to" in document else {}
    platforms = _platforms(document.get("platforms"), problems) if "platforms" in document else {}

    if problems:
        raise ManifestError(source, problems)
    return Manifest(
        kb=t.cast(str, kb).strip().upper(),
        title=t.cast(str, title).strip(),
        applies_to=applies_to,
        platforms=platforms,
        source=source,
    )


def _is_int(value: t.Any) -> bool:
    """An integer that is not a bool (YAML's true is not a size)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_element(value: t.Any, element_type: type) -> bool:
    if element_type is int:
        return _is_int(value)
    return isinstance(value, str) and bool(value.strip())


def _type_name(value: t.Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _applies_to(raw: t.Any, problems: list[str]) -> dict[str, t.Any]:
    if not isinstance(raw, dict):
        problems.append(f"applies_to: must be a mapping, not {_type_name(raw)}")
        return {}
    facts: dict[str, t.Any] = {}
    product = raw.get("product")
    if not (isinstance(product, str) and product.strip()):
        problems.append("applies_to.product: missing or not a non-empty string")
    else:
        facts["product"] = product.strip()
    for key in sorted(set(raw) - {"product"} - set(_APPLIES_TO_LISTS), key=str):
        problems.append(f"applies_to.{key}: unknown field (known: product, {', '.join(sorted(_APPLIES_TO_LISTS))})")
    for key, element_type in _APPLIES_TO_LISTS.items():
        if key not in raw:
            continue
        values = raw[key]
        if not isinstance(values, list) or not all(_is_element(value, element_type) for value in values):
            problems.append(f"applies_to.{key}: must be a list of {element_type.__name__}")
            continue
        facts[key] = list(values)
    return facts


def _platforms(raw: t.Any, problems: list[str]) -> dict[str, tuple[ManifestFile, ...]]:
    if not isinstance(raw, dict) or not raw:
        problems.append("platforms: must be a mapping of platform name to its list of files")
        return {}
    platforms: dict[str, tuple[ManifestFile, ...]] = {}
    for key, entries in raw.items():
        platform = key.strip().lower() if isinstance(key, str) else None
        if platform not in PLATFORMS:
            problems.append(f"platforms.{key}: unknown platform (known: {', '.join(PLATFORMS)})")
            continue
        if platform in platforms:
            problems.append(f"platforms.{key}: platform {platform} is listed twice")
            continue
        if not isinstance(entries, list) or not entries:
            problems.append(f"platforms.{key}: must be a non-empty list of files")
            continue
        files = [_file(entry, platform, f"platforms.{key}[{index}]", problems) for index, entry in enumerate(entries)]
        seen: dict[str, str] = {}
        for index, spec in enumerate(files):
            if spec is None:
                continue
            where = spec.relative_path.casefold()
            if where in seen:
                problems.append(f"platforms.{key}[{index}]: {spec.relative_path} is listed twice")
            seen[where] = spec.relative_path
        platforms[platform] = tuple(spec for spec in files if spec is not None)
    return platforms


def _file(raw: t.Any, platform: str, where: str, problems: list[str]) -> ManifestFile | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping with name, kind, size and date")
        return None
    found_before = len(problems)
    for key in sorted(set(raw) - _FILE_KEYS, key=str):
        problems.append(f"{where}.{key}: unknown field (known: {', '.join(sorted(_FILE_KEYS))})")
    for key in ("name", "kind", "size", "date"):
        if key not in raw:
            problems.append(f"{where}.{key}: missing required field")

    name = raw.get("name")
    if "name" in raw and not _valid_name(name):
        problems.append(f"{where}.name: must be a plain Windows file name, got {name!r}")
    dest = _dest(raw.get("dest", ""), f"{where}.dest", problems)
    kind = raw.get("kind")
    if "kind" in raw and kind not in KINDS:
        problems.append(f"{where}.kind: must be one of {', '.join(KINDS)}, got {kind!r}")
    size = raw.get("size")
    if "size" in raw:
        size_problem = _size_problem(size)
        if size_problem:
            problems.append(f"{where}.size: {size_problem}")
    date = _date(raw.get("date"), f"{where}.date", problems) if "date" in raw else None
    version = raw.get("version")
    if version is not None and not (isinstance(version, str) and _VERSION_PATTERN.fullmatch(version)):
        problems.append(f"{where}.version: must be a quoted dotted version such as '5.5.1877.24', got {version!r}")
    machine = _machine(raw, kind, platform, f"{where}.machine", problems)
    sha256 = raw.get("sha256")
    if sha256 is not None and not (isinstance(sha256, str) and _SHA256_PATTERN.fullmatch(sha256)):
        problems.append(f"{where}.sha256: must be 64 hexadecimal digits, got {sha256!r}")

    if len(problems) > found_before:
        return None
    return ManifestFile(
        name=t.cast(str, name),
        dest=t.cast(str, dest),
        kind=t.cast(str, kind),
        size=t.cast(int, size),
        date=t.cast(str, date),
        version=version,
        machine=machine,
        sha256=sha256.lower() if sha256 else None,
    )


def _valid_name(name: t.Any) -> bool:
    return (
        isinstance(name, str)
        and 0 < len(name) <= 255
        and not _BAD_NAME_CHARACTERS.search(name)
        and name not in (".", "..")
        and not name.endswith((" ", "."))
    )


def _dest(raw: t.Any, where: str, problems: list[str]) -> str | None:
    """A relative folder: ``/`` becomes ``\\``, outer separators go; no drive, no ``..``."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        problems.append(f"{where}: must be a relative folder path, got {raw!r}")
        return None
    folder = raw.replace("/", "\\").strip("\\")
    if folder in ("", "."):
        return ""
    if raw.startswith(("\\", "/")) or ":" in raw or not all(_valid_name(part) for part in folder.split("\\")):
        problems.append(f"{where}: must be a folder relative to the installation point (no drive, no ..), got {raw!r}")
        return None
    return folder


def _size_problem(size: t.Any) -> str | None:
    if _is_int(size) and size > 0:
        return None
    if isinstance(size, str) and _SIZE_WITH_SEPARATORS.fullmatch(size.strip()):
        digits = re.sub(r"\D", "", size)
        return f"write the number of bytes without separators ({digits}), not {size!r}"
    return f"must be a positive whole number of bytes, got {size!r}"


def _date(raw: t.Any, where: str, problems: list[str]) -> str | None:
    """The KB table's date and time; YAML may already have made it a datetime."""
    if isinstance(raw, datetime.datetime):
        return raw.strftime(DATE_FORMAT)
    if isinstance(raw, str):
        for pattern in (DATE_FORMAT, "%Y-%m-%dT%H:%M"):
            try:
                return datetime.datetime.strptime(raw.strip(), pattern).strftime(DATE_FORMAT)
            except ValueError:
                continue
    problems.append(f"{where}: must be a quoted date and time 'YYYY-MM-DD HH:MM' (24-hour clock), got {raw!r}")
    return None


def _machine(raw: t.Mapping[str, t.Any], kind: t.Any, platform: str, where: str, problems: list[str]) -> int | None:
    """The PE machine a pe file must carry: the platform's, unless the entry names another."""
    if kind != PE:
        if "machine" in raw:
            problems.append(f"{where}: only pe files have a machine type")
        return None
    if "machine" not in raw:
        return PLATFORM_MACHINES[platform]
    name = raw["machine"]
    machine = MACHINES_BY_NAME.get(name.strip().lower()) if isinstance(name, str) else None
    if machine is None:
        problems.append(f"{where}: must be one of {', '.join(sorted(MACHINES_BY_NAME))}, got {name!r}")
    return machine

"""Host profiles and the specs built from them (Seam 2: what the fleet asks a host to be).

- "no-iis": Windows NT 4.0 Server SP6a, x86, no IIS.
- "iis4-default": the same plus the NT 4.0 Option Pack's IIS 4.0 in %windir%\\System32\\inetsrv with WWW, FTP,
  SMTP and NNTP, SMTP and NNTP running, mail queued and news articles stored.
- "iis4-kb": KB Q197303's host. IIS 2.0 was installed with NT 4.0 with its system files in C:\\Inetsrv (KB
  Q186629's InstallDir), then upgraded to IIS 4.0, which kept that directory; IIS 2.0's registry key stays.
  SMTP and NNTP are installed by Option Pack setup from its original INFs (winsim.setup.provision), which
  register them at %windir%\\System32\\inetsrv while their files are in C:\\Inetsrv: they fail to start (7023).
- "iis4-kb-alpha": the same on a DEC Alpha (Alpha images throughout).
- "iis4-kb-smtp-only": the same with SMTP but no NNTP.
- "iis5": Windows 2000 Server SP4 with IIS 5.0 (WWW, FTP, SMTP, NNTP) in %windir%\\System32\\inetsrv, running.
- "iis6": Windows Server 2003 SP2 with IIS 6.0 (WWW and SMTP; NNTP and FTP are optional components, see
  `components`) in %windir%\\System32\\inetsrv, running; the metabase is MetaBase.xml.
Profiles with SMTP or NNTP hold queued mail and news articles (`smtp_queue_messages`, `nntp_articles`).
PowerShell 2.0 by default on every profile: a modelling choice (NT 4.0 never ran PowerShell), because the
project's agent targets PowerShell 2.0, the oldest it supports; `powershell_version` changes it (None: none).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from winsim.host.architecture import ARCHITECTURES
from winsim.host.environment import expand
from winsim.host.errors import Win32Error
from winsim.host.paths import parse
from winsim.host.provisioning import OPTION_PACK_SETUP
from winsim.host.provisioning.iis import COMPONENTS, DEFAULT_IIS_PATH
from winsim.host.provisioning.windows import RELEASES


@dataclass(frozen=True)
class Profile:
    name: str
    os_version: str = "4.0"
    arch: str = "x86"
    iis_version: str | None = None          # None: no IIS
    iis_path: str = DEFAULT_IIS_PATH         # only IIS 4.0 (from IIS 2.0's setup) may live elsewhere
    components: tuple[str, ...] = COMPONENTS
    upgraded_from: str | None = None         # "2.0": IIS 4.0 upgraded an IIS 2.0 in place
    smtp_nntp_installer: str | None = None   # OPTION_PACK_SETUP, or None: installed with the rest of IIS


# KB Q197303's history: IIS 2.0 in C:\\Inetsrv, upgraded in place, SMTP and NNTP added by Option Pack setup.
_KB = {"iis_version": "4.0", "iis_path": "C:\\Inetsrv", "upgraded_from": "2.0",
       "smtp_nntp_installer": OPTION_PACK_SETUP}
_PROFILES = (
    Profile("no-iis"),
    Profile("iis4-default", iis_version="4.0"),
    Profile("iis4-kb", **_KB),
    Profile("iis4-kb-alpha", arch="alpha", **_KB),
    Profile("iis4-kb-smtp-only", components=("www", "ftp", "smtp"), **_KB),
    Profile("iis5", os_version="5.0", iis_version="5.0"),
    Profile("iis6", os_version="5.2", iis_version="6.0", components=("www", "smtp")),
)
PROFILES: tuple[str, ...] = tuple(p.name for p in _PROFILES)
_BY_NAME = {p.name: p for p in _PROFILES}
_WINDOWS_NAMES = {"4.0": "Windows NT 4.0", "5.0": "Windows 2000", "5.2": "Windows Server 2003"}
OVERRIDE_KEYS = ("iis_path", "arch", "components", "smtp_queue_messages", "nntp_articles", "os_version",
                 "powershell_version", "ip_address", "drives")
POWERSHELL_VERSIONS = ("1.0", "2.0", "3.0", "4.0", "5.0", "5.1")
_IIS_ONLY = ("iis_path", "components", "smtp_queue_messages", "nntp_articles")
_NAME_FORBIDDEN = re.compile(r'[\s\\/:*?"<>|,=;+\[\]]')
_DEFAULT_DRIVES = {"C": {"size_mb": 4096, "free_mb": 2800}}
_DATA_DRIVE = {"size_mb": 8192, "free_mb": 8000}
_MAX_ITEMS = 100_000


class SpecError(ValueError):
    """A profile, computer name or override that cannot describe a host; the message says which and why."""


def build_spec(profile: str, computer_name: str, overrides: dict | None = None) -> dict:
    if profile not in _BY_NAME:
        raise SpecError(f"unknown profile {profile!r} (profiles: {', '.join(PROFILES)})")
    chosen = _BY_NAME[profile]
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(OVERRIDE_KEYS))
    if unknown:
        raise SpecError(f"unknown override keys: {', '.join(unknown)} (allowed: {', '.join(OVERRIDE_KEYS)})")
    misplaced = [k for k in _IIS_ONLY if k in overrides and chosen.iis_version is None]
    if misplaced:
        raise SpecError(f"profile {profile!r} has no IIS, so {', '.join(misplaced)} cannot be set")
    spec = {
        "profile": profile,
        "computer_name": _computer_name(computer_name),
        "os_version": _os_version(overrides.get("os_version", chosen.os_version)),
        "arch": _arch(overrides.get("arch", chosen.arch)),
        "powershell_version": _powershell_version(overrides.get("powershell_version", "2.0")),
        "ip_address": _ip_address(overrides.get("ip_address", "192.168.0.10")),
        "drives": _drives(overrides.get("drives", {})),
        "iis": None,
    }
    _check_platform(spec["arch"], spec["os_version"])
    if chosen.iis_version is not None:
        if spec["os_version"] != chosen.os_version:
            raise SpecError(f"IIS {chosen.iis_version} (profile {profile!r}) runs on "
                            f"{_WINDOWS_NAMES[chosen.os_version]} only, not os_version {spec['os_version']!r}")
        if "iis_path" in overrides and chosen.iis_version != "4.0":
            raise SpecError(f"IIS {chosen.iis_version} (profile {profile!r}) always lives in {DEFAULT_IIS_PATH}: "
                            "iis_path cannot be set")
        spec["iis"] = _iis(chosen, overrides, spec)
    return spec


def _computer_name(name: object) -> str:
    if not isinstance(name, str) or not name or _NAME_FORBIDDEN.search(name):
        raise SpecError(f"computer name {name!r} is not a valid Windows computer name")
    return name.upper()


def _os_version(value: object) -> str:
    text = f"{value:.1f}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    if text not in RELEASES:
        raise SpecError(f"os_version {value!r} is not one the model knows ({', '.join(RELEASES)})")
    return text


def _arch(value: object) -> str:
    key = str(value).casefold()
    if key not in ARCHITECTURES:
        raise SpecError(f"arch {value!r} must be one of {', '.join(ARCHITECTURES)}")
    return key


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def _check_platform(arch: str, os_version: str) -> None:
    platform = ARCHITECTURES[arch]
    if _version_tuple(os_version) < _version_tuple(platform.minimum_os):
        raise SpecError(f"arch {arch!r} needs os_version {platform.minimum_os} or later, not {os_version}")
    if platform.last_os and _version_tuple(os_version) > _version_tuple(platform.last_os):
        raise SpecError(f"Windows {os_version} was never released for arch {arch!r} (last: {platform.last_os})")


def _powershell_version(value: object) -> str | None:
    if value is None or (isinstance(value, str) and value.casefold() == "none"):
        return None
    text = f"{value:.1f}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    if text not in POWERSHELL_VERSIONS:
        raise SpecError(f"powershell_version {value!r} must be one of {', '.join(POWERSHELL_VERSIONS)} or None")
    return text


def _ip_address(value: object) -> str:
    try:
        return str(ipaddress.IPv4Address(str(value)))
    except ValueError as exc:
        raise SpecError(f"ip_address {value!r} is not an IPv4 address") from exc


def _drives(value: object) -> dict:
    if not isinstance(value, dict):
        raise SpecError("drives must map a drive letter to {size_mb, free_mb}")
    drives = {k: dict(v) for k, v in _DEFAULT_DRIVES.items()}
    for letter, drive in value.items():
        key = str(letter).rstrip(":").upper()
        if not re.fullmatch(r"[A-Z]", key) or not isinstance(drive, dict) or set(drive) - {"size_mb", "free_mb"}:
            raise SpecError(f"drives: {letter!r} must be a drive letter mapped to {{size_mb, free_mb}}")
        merged = {**drives.get(key, _DATA_DRIVE), **drive}
        size, free = merged["size_mb"], merged["free_mb"]
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (size, free)) or not 0 <= free < size:
            raise SpecError(f"drives: {key}: needs whole numbers with 0 <= free_mb < size_mb, got {merged}")
        drives[key] = merged
    return drives


def _count(overrides: dict, key: str, default: int) -> int:
    value = overrides.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_ITEMS:
        raise SpecError(f"{key} must be a whole number from 0 to {_MAX_ITEMS}, not {value!r}")
    return value


def _iis(profile: Profile, overrides: dict, spec: dict) -> dict:
    components = overrides.get("components", list(profile.components))
    if not isinstance(components, list | tuple) or not all(isinstance(c, str) for c in components):
        raise SpecError(f"components must be a list drawn from {', '.join(COMPONENTS)}")
    wrong = sorted({c for c in components if c not in COMPONENTS})
    if wrong or len(set(components)) != len(components):
        raise SpecError(f"components must be distinct names from {', '.join(COMPONENTS)}; got {components}")
    iis = {
        "version": profile.iis_version,
        "path": _iis_path(overrides.get("iis_path", profile.iis_path), spec),
        "components": [c for c in COMPONENTS if c in components],
        "smtp_queue_messages": _count(overrides, "smtp_queue_messages", 3 if "smtp" in components else 0),
        "nntp_articles": _count(overrides, "nntp_articles", 5 if "nntp" in components else 0),
        "upgraded_from": profile.upgraded_from,
        "smtp_nntp_installer": profile.smtp_nntp_installer,
    }
    for key, component in (("smtp_queue_messages", "smtp"), ("nntp_articles", "nntp")):
        if iis[key] and component not in iis["components"]:
            raise SpecError(f"{key} needs the {component!r} component")
    return iis


def _iis_path(value: object, spec: dict) -> str:
    release = RELEASES[spec["os_version"]]
    variables = {"SystemRoot": release.system_root, "windir": release.system_root,
                 "SystemDrive": release.system_root[:2]}
    text = str(value).rstrip("\\") if isinstance(value, str) else ""
    expanded = expand(text, variables)
    if not re.match(r"^[A-Za-z]:\\.", expanded) or "%" in expanded:
        raise SpecError(f"iis_path {value!r} must be an absolute path like D:\\Inetsrv or %windir%\\...")
    try:
        target = parse(expanded)
    except Win32Error as exc:
        raise SpecError(f"iis_path {value!r} is not a valid Windows path: {exc}") from exc
    spec["drives"].setdefault(target.drive, dict(_DATA_DRIVE))
    return text

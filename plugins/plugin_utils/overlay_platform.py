# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fix platforms (x86, alpha, amd64, ia64): their PE machine types and how a host's is found.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Windows names its processor architecture in ``PROCESSOR_ARCHITECTURE``; a 32-bit process on
64-bit Windows sees ``x86`` there and finds the native value in ``PROCESSOR_ARCHITEW6432``.
The agent's system.info reports both and ``native`` (the latter when set). Case varies
(``x86``/``X86``), so names are compared case-insensitively.
"""

from __future__ import annotations

import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.pe_header import (
    MACHINE_ALPHA,
    MACHINE_AMD64,
    MACHINE_I386,
    MACHINE_IA64,
)

X86, ALPHA, AMD64, IA64 = "x86", "alpha", "amd64", "ia64"
PLATFORMS: tuple[str, ...] = (X86, ALPHA, AMD64, IA64)
AUTO = "auto"

# The COFF Machine a platform's binaries carry.
PLATFORM_MACHINES: t.Mapping[str, int] = {
    X86: MACHINE_I386,
    ALPHA: MACHINE_ALPHA,
    AMD64: MACHINE_AMD64,
    IA64: MACHINE_IA64,
}

# PROCESSOR_ARCHITECTURE values (upper-cased) -> fix platform.
_ARCHITECTURES: t.Mapping[str, str] = {"X86": X86, "ALPHA": ALPHA, "AMD64": AMD64, "IA64": IA64}

# Folder names a fix_files directory may use per platform: the platform name, and the media
# folder Windows setup uses for it (I386 for x86).
PLATFORM_FOLDERS: t.Mapping[str, tuple[str, ...]] = {
    X86: ("x86", "i386"),
    ALPHA: ("alpha",),
    AMD64: ("amd64",),
    IA64: ("ia64",),
}


def native_architecture(system_info: t.Mapping[str, t.Any]) -> str | None:
    """The host's native architecture as Windows spells it, from a system.info value.

    PROCESSOR_ARCHITEW6432 wins over PROCESSOR_ARCHITECTURE; ``native`` is used only when
    neither is reported (an agent that computed it for us).
    """
    architecture = system_info.get("architecture") or {}
    for key in ("wow64", "process", "native"):
        value = architecture.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def platform_of_architecture(architecture: str) -> str | None:
    """``AMD64`` -> ``amd64``; None for an architecture no fix platform names (MIPS, ARM64...)."""
    return _ARCHITECTURES.get(architecture.strip().upper())


class PlatformChoice(t.NamedTuple):
    platform: str
    host_architecture: str | None
    # A sentence for the user when the requested platform is not the host's own.
    warning: str | None


def choose_platform(requested: str, system_info: t.Mapping[str, t.Any], offered: t.Sequence[str]) -> PlatformChoice:
    """The fix platform to apply: the host's native one for ``auto``, else ``requested``.

    ``offered`` are the platforms the manifest has files for. Raises IisHotfixError when the
    host's architecture is unknown or has no fix files in the manifest.
    """
    architecture = native_architecture(system_info)
    host_platform = platform_of_architecture(architecture) if architecture else None
    if requested != AUTO:
        if requested not in offered:
            raise IisHotfixError(
                f"the manifest has no fix files for platform {requested}; it lists {_listing(offered)}"
            )
        warning = None
        if host_platform != requested:
            warning = (
                f"platform {requested} was requested but the host's native architecture is "
                f"{architecture or 'unknown'}: the fix files are checked against {requested}"
            )
        return PlatformChoice(requested, architecture, warning)
    if architecture is None:
        raise IisHotfixError("the host did not report its processor architecture; set platform explicitly")
    if host_platform is None or host_platform not in offered:
        raise IisHotfixError(
            f"the host's native architecture is {architecture}, and the manifest has fix files only for "
            f"{_listing(offered)}"
        )
    return PlatformChoice(host_platform, architecture, None)


def _listing(platforms: t.Sequence[str]) -> str:
    return ", ".join(platforms) if platforms else "no platform"

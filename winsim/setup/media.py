"""Synthetic installation media and synthetic Q197303 fix files, on a real disk or on a simulated host's.

Media (`media/<platform>/`): setup.exe, the master INF (setup.inf), the original Ims.inf and Ins.inf, the
setup helper Imsinsc.dll and every file those INFs copy. Fix (`fix/<platform>/`): Ims.inf, Ins.inf and
Imsinsc.dll as the fix ships them, each exactly the size and date of KB Q197303's table. Binaries are PE
images of the platform's machine type (winsim.host.pe) and nothing more; INFs are our own text. The output is
deterministic: the same bytes and times on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from winsim.host import pe
from winsim.setup.catalog import (
    COMPONENTS,
    FIX_FILES,
    HELPER_DLL,
    MACHINES,
    MASTER_INF,
    MEDIA_TIME,
    ORIGINAL_FILES,
    PLATFORMS,
    PROGRAM_VERSION,
    SETUP_EXE_SIZE,
    Dated,
    platform_size,
)
from winsim.setup.infgen import FIXED, ORIGINAL, component_inf, master_inf

if TYPE_CHECKING:
    from winsim.host import Host

MEDIA_FOLDER, FIX_FOLDER = "media", "fix"
_TEXT_FILE_NOTE = ("{name}: synthetic file written by winsim for its simulated hosts; not a Microsoft file.\r\n")


@dataclass(frozen=True)
class MediaFile:
    name: str
    data: bytes
    mtime: float


def _check(platform: str) -> str:
    if platform not in PLATFORMS:
        raise ValueError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
    return platform


def _image(name: str, size: int, platform: str, dated: Dated | None = None, *, dll: bool = True,
           variant: str = "") -> MediaFile:
    mtime = dated.mtime if dated else MEDIA_TIME
    version = dated.version if dated and dated.version else PROGRAM_VERSION
    tag = f"winsim synthetic image {name} {version} {platform} {variant}".strip().encode("ascii")
    data = pe.build_pe(MACHINES[platform], size, dll=dll, timestamp=int(mtime), tag=tag, file_version=version)
    return MediaFile(name, data, mtime)


def _setup_files(platform: str, table: dict[str, dict[str, Dated]], variant: str) -> list[MediaFile]:
    """The three files KB Q197303 replaces, from the given table (original media or fix)."""
    dated = table[platform]
    files = [_image(HELPER_DLL, dated[HELPER_DLL].size, platform, dated[HELPER_DLL], variant=variant)]
    for component in COMPONENTS:
        entry = dated[component.inf]
        files.append(MediaFile(component.inf, component_inf(component, variant, entry.size), entry.mtime))
    return files


def option_pack_files(platform: str) -> list[MediaFile]:
    """Installation media for one platform, as the Option Pack shipped it (original INFs and helper)."""
    _check(platform)
    files = [_image("setup.exe", platform_size(SETUP_EXE_SIZE, platform), platform, dll=False),
             MediaFile(MASTER_INF, master_inf().encode("ascii"), MEDIA_TIME),
             *_setup_files(platform, ORIGINAL_FILES, ORIGINAL)]
    for component in COMPONENTS:
        for sub in component.subcomponents:
            for name, size in (*sub.iis_files, *sub.system_files):
                if size:
                    files.append(_image(name, platform_size(size, platform), platform))
                else:
                    files.append(MediaFile(name, _TEXT_FILE_NOTE.format(name=name).encode("ascii"), MEDIA_TIME))
            for name in sub.doc_files:
                page = f"<html><body>{sub.description} (synthetic page written by winsim)</body></html>\r\n"
                files.append(MediaFile(name, page.encode("ascii"), MEDIA_TIME))
    return sorted(files, key=lambda f: f.name.casefold())


def fix_files(platform: str) -> list[MediaFile]:
    """The Q197303 fix for one platform: fixed Ims.inf and Ins.inf, and Imsinsc.dll, sized and dated per the KB."""
    return _setup_files(_check(platform), FIX_FILES, FIXED)


def master_inf_file(name: str = MASTER_INF) -> MediaFile:
    """The master INF under another name (e.g. sysoc.inf for a Windows 2000 host's %windir%\\inf)."""
    return MediaFile(name, master_inf().encode("ascii"), MEDIA_TIME)


def write_media(out_dir: Path, platforms: Iterable[str] = PLATFORMS) -> list[Path]:
    """Write `out_dir/media/<platform>/` and `out_dir/fix/<platform>/`; returns the files written."""
    written = []
    for platform in platforms:
        for folder, files in ((MEDIA_FOLDER, option_pack_files(platform)), (FIX_FOLDER, fix_files(platform))):
            target = Path(out_dir) / folder / platform
            target.mkdir(parents=True, exist_ok=True)
            for item in files:
                path = target / item.name
                path.write_bytes(item.data)
                os.utime(path, (item.mtime, item.mtime))
                written.append(path)
    return written


def place_files(host: Host, directory: str, files: Iterable[MediaFile]) -> None:
    """Put files on a simulated host's disk (directory created as needed), keeping their dates."""
    with host.transaction():
        host.fs.make_dir(directory)
        for item in files:
            host.fs.write_file(f"{directory.rstrip(chr(92))}\\{item.name}", item.data, mtime=item.mtime)

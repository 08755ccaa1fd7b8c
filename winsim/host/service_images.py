"""Where a service's code comes from: the image its ImagePath names, and the DLL its process loads.

ImagePath (REG_EXPAND_SZ, quoted or not, with arguments) resolves as CreateProcess resolves a command line:
an unquoted path with spaces is tried word by word, ".exe" is added to a name without extension,
`\\SystemRoot\\` and paths without a drive are relative to %SystemRoot%.

A share-process service's DLL, a modelling rule drawn from KB Q245208 and Q197303:
1. `Parameters\\ServiceDll` (svchost style) names the DLL, and the process knows the service's name; or
2. `Parameters\\InstallPath` names the directory from which an IIS-style host process (inetinfo.exe) loads
   `<service name>.dll`; when that fails the process has not yet learnt the service's name, so the 7023
   event it causes names no service (as in KB Q197303); or
3. neither: the service's code is part of the image (services.exe style), nothing more is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from winsim.host import pe
from winsim.host.architecture import architecture_of
from winsim.host.environment import expand
from winsim.host.errors import ERROR_BAD_EXE_FORMAT, ERROR_FILE_NOT_FOUND, Win32Error
from winsim.host.filesystem import FileSystem
from winsim.host.paths import WinPath, parse

if TYPE_CHECKING:
    from winsim.host.services import ServiceConfig


def resolve_image(fs: FileSystem, image_path: str, environment: Mapping[str, str]) -> tuple[str, int]:
    """(the image's path as stored, its PE machine); Win32Error 2 when there is none, 193 when it is not an
    image this processor runs (x86 images run on 64-bit Windows, in WOW64)."""
    command_line = expand(image_path, environment).strip()
    candidates = _image_candidates(command_line)
    system_root = parse(environment["SystemRoot"])
    for candidate in candidates:
        has_extension = "." in candidate.rsplit("\\", 1)[-1]
        for spelling in (candidate,) if has_extension else (candidate, candidate + ".exe"):
            path = _image_path(spelling, system_root)
            if path is not None and fs.is_file(path):
                info = pe.read_pe(fs.read_file(path, length=pe.pe_header_length()))
                arch = architecture_of(environment.get("PROCESSOR_ARCHITECTURE", "x86"))
                if info is None or info.is_dll or not arch.can_run(info.machine):
                    raise Win32Error(ERROR_BAD_EXE_FORMAT, str(path))
                return fs.stat(path).path, info.machine
    raise Win32Error(ERROR_FILE_NOT_FOUND, candidates[0] if candidates else image_path)


def service_dll(config: ServiceConfig, environment: Mapping[str, str]) -> tuple[str, str] | None:
    """(the DLL a share-process service's process loads for it, the service name the process reports)."""
    if config.service_dll:
        return expand(config.service_dll, environment), config.display_name
    if config.install_path:
        directory = expand(config.install_path, environment).rstrip("\\")
        return f"{directory}\\{config.name}.dll", ""
    return None


def load_dll(fs: FileSystem, dll: str, machine: int) -> str:
    """LoadLibrary in a process of `machine`: the DLL's path as stored, or Win32Error 2 / 193."""
    path = parse(dll)
    if not fs.is_file(path):
        raise Win32Error(ERROR_FILE_NOT_FOUND, dll)
    info = pe.read_pe(fs.read_file(path, length=pe.pe_header_length()))
    if info is None or info.machine != machine:
        raise Win32Error(ERROR_BAD_EXE_FORMAT, dll)
    return fs.stat(path).path


def _image_candidates(command_line: str) -> list[str]:
    """The executables CreateProcess would try for a command line, in order."""
    if command_line.startswith('"'):
        end = command_line.find('"', 1)
        return [command_line[1:end] if end > 0 else command_line[1:]]
    words = command_line.split(" ")
    return [" ".join(words[:count]) for count in range(1, len(words) + 1) if words[count - 1]]


def _image_path(text: str, system_root: WinPath) -> WinPath | None:
    if text.casefold().startswith("\\systemroot\\"):
        text = str(system_root) + text[len("\\SystemRoot"):]
    try:
        return parse(text, system_root)  # a path without a drive is relative to %SystemRoot%
    except Win32Error:
        return None

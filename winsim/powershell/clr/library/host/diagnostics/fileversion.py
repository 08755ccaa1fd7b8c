"""System.Diagnostics.FileVersionInfo.GetVersionInfo: the version resource of a PE image, as winsim's PE model
writes it (winsim.host.pe: the FileVersion string). The numeric parts are read from that string."""

from __future__ import annotations

import re

from winsim.host import pe
from winsim.host.errors import Win32Error
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.win32.fullpath import full_path
from winsim.powershell.clr.typesystem import clr_type, getter, method


@clr_type("System.Diagnostics.FileVersionInfo")
class FileVersionInfo:
    def __init__(self, file_name: str, file_version: str | None) -> None:
        self.file_name = file_name
        self.file_version = file_version
        numbers = [int(n) for n in re.findall(r"\d+", file_version or "")[:4]]
        self.parts = (*numbers, 0, 0, 0, 0)[:4]

    @method("GetVersionInfo", "string", returns="System.Diagnostics.FileVersionInfo", static=True)
    @staticmethod
    def get_version_info(rt, file_name):
        full = full_path(rt, file_name)
        try:
            data = rt.host.fs.read_file(full.path) if full.path is not None else None
        except Win32Error:
            data = None
        if data is None or rt.host.fs.is_dir(full.path):
            # FileVersionInfo passes only the file name as the message
            raise interop.exception(rt, "System.IO.FileNotFoundException", file_name)
        info = pe.read_pe(data)
        return FileVersionInfo(full.text, info.file_version if info is not None else None)

    @getter("FileName", "string")
    def p_file_name(self, rt):
        return self.file_name

    @getter("FileVersion", "string")
    def p_file_version(self, rt):
        return self.file_version

    @getter("ProductVersion", "string")
    def p_product_version(self, rt):
        return None

    @getter("FileMajorPart", "int")
    def p_major(self, rt):
        return self.parts[0]

    @getter("FileMinorPart", "int")
    def p_minor(self, rt):
        return self.parts[1]

    @getter("FileBuildPart", "int")
    def p_build(self, rt):
        return self.parts[2]

    @getter("FilePrivatePart", "int")
    def p_private(self, rt):
        return self.parts[3]

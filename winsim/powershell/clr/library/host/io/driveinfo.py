"""System.IO.DriveInfo (.NET 2.0) over the host's drives: fixed disks with a size, free space and a file system."""

from __future__ import annotations

import re

from winsim.host.errors import Win32Error
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import clr_enum
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

DriveType = clr_enum("System.IO.DriveType", {"Unknown": 0, "NoRootDirectory": 1, "Removable": 2, "Fixed": 3,
                                             "Network": 4, "CDRom": 5, "Ram": 6})
_NAME = re.compile(r"^([A-Za-z])(?::\\?)?$")


@clr_type("System.IO.DriveInfo", interfaces=("System.Runtime.Serialization.ISerializable",))
class DriveInfo:
    def __init__(self, letter: str) -> None:
        self.letter = letter.upper()

    @constructor("string")
    @staticmethod
    def create(rt, name):
        if name is None:
            raise interop.exception(rt, "System.ArgumentNullException", "driveName")
        match = _NAME.match(name)
        if match is None:
            raise interop.exception(rt, "System.ArgumentException", 'Object must be a root directory ("C:\\") or a '
                                    'drive letter ("C").', "driveName")
        return DriveInfo(match.group(1))

    @method("GetDrives", returns="System.IO.DriveInfo[]", static=True)
    @staticmethod
    def get_drives(rt):
        letters = sorted(d.letter for d in rt.host.fs.drives())
        return values.ClrArray([DriveInfo(letter) for letter in letters], "System.IO.DriveInfo")

    def _drive(self, rt):
        try:
            return rt.host.fs.drive(self.letter)
        except Win32Error:
            raise interop.exception(rt, "System.IO.DriveNotFoundException", f"Could not find the drive "
                                    f"'{self.letter}:\\'. The drive might not be ready or might not be mapped.") \
                from None

    @getter("Name", "string")
    def p_name(self, rt):
        return f"{self.letter}:\\"

    @getter("DriveType", "System.IO.DriveType")
    def p_drive_type(self, rt):
        exists = any(d.letter == self.letter for d in rt.host.fs.drives())
        return DriveType.value(3 if exists else 1)

    @getter("IsReady", "bool")
    def p_is_ready(self, rt):
        return any(d.letter == self.letter for d in rt.host.fs.drives())

    @getter("AvailableFreeSpace", "long")
    def p_available_free_space(self, rt):
        return values.Int64(self._drive(rt).free_bytes)

    @getter("TotalFreeSpace", "long")
    def p_total_free_space(self, rt):
        return values.Int64(self._drive(rt).free_bytes)

    @getter("TotalSize", "long")
    def p_total_size(self, rt):
        return values.Int64(self._drive(rt).total_bytes)

    @getter("DriveFormat", "string")
    def p_drive_format(self, rt):
        return self._drive(rt).filesystem

    @getter("VolumeLabel", "string")
    def p_volume_label(self, rt):
        return self._drive(rt).label

    @getter("RootDirectory", "System.IO.DirectoryInfo")
    def p_root_directory(self, rt):
        from winsim.powershell.clr.library.host.io.fileinfo import DirectoryInfo
        root = f"{self.letter}:\\"
        return DirectoryInfo(rt, root, root)

    @method("ToString", returns="string")
    def to_string(self, rt):
        return f"{self.letter}:\\"

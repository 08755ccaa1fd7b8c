"""The System.IO enums (values as mscorlib declares them)."""

from __future__ import annotations

from winsim.powershell.clr.enums import clr_enum

FileMode = clr_enum("System.IO.FileMode", {"CreateNew": 1, "Create": 2, "Open": 3, "OpenOrCreate": 4,
                                           "Truncate": 5, "Append": 6})
FileAccess = clr_enum("System.IO.FileAccess", {"Read": 1, "Write": 2, "ReadWrite": 3}, flags=True)
FileShare = clr_enum("System.IO.FileShare", {"None": 0, "Read": 1, "Write": 2, "ReadWrite": 3, "Delete": 4,
                                             "Inheritable": 16}, flags=True)
SeekOrigin = clr_enum("System.IO.SeekOrigin", {"Begin": 0, "Current": 1, "End": 2})
FileAttributes = clr_enum("System.IO.FileAttributes", {
    "ReadOnly": 0x1, "Hidden": 0x2, "System": 0x4, "Directory": 0x10, "Archive": 0x20, "Device": 0x40,
    "Normal": 0x80, "Temporary": 0x100, "SparseFile": 0x200, "ReparsePoint": 0x400, "Compressed": 0x800,
    "Offline": 0x1000, "NotContentIndexed": 0x2000, "Encrypted": 0x4000}, flags=True)
SearchOption = clr_enum("System.IO.SearchOption", {"TopDirectoryOnly": 0, "AllDirectories": 1})
FileOptions = clr_enum("System.IO.FileOptions", {
    "WriteThrough": -0x80000000, "None": 0, "Encrypted": 0x4000, "DeleteOnClose": 0x4000000,
    "SequentialScan": 0x8000000, "RandomAccess": 0x10000000, "Asynchronous": 0x40000000}, flags=True)

READ, WRITE = 1, 2
SHARE_READ, SHARE_WRITE, SHARE_DELETE = 1, 2, 4
ATTRIBUTE_NORMAL = 0x80
ATTRIBUTE_DIRECTORY = 0x10

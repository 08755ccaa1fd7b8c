"""System.IO backed by the host's file system: Path, File, Directory, FileInfo/DirectoryInfo, FileStream,
BinaryReader, and the IO enums."""

from winsim.powershell.clr.library.host.io import (
    binaryreader,
    directory,
    driveinfo,
    enums,
    file,
    fileinfo,
    filestream,
    path,
)

__all__ = ["binaryreader", "directory", "driveinfo", "enums", "file", "fileinfo", "filestream", "path"]

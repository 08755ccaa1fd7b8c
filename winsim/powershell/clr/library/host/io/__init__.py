"""System.IO backed by the host's file system: Path, File, Directory, FileInfo/DirectoryInfo, DriveInfo,
FileStream, BinaryReader/BinaryWriter, StreamReader/StreamWriter, and the IO enums."""

from winsim.powershell.clr.library.host.io import (
    binaryreader,
    binarywriter,
    directory,
    driveinfo,
    enums,
    file,
    fileinfo,
    filestream,
    path,
    textstreams,
)

__all__ = ["binaryreader", "binarywriter", "directory", "driveinfo", "enums", "file", "fileinfo", "filestream", "path",
           "textstreams"]

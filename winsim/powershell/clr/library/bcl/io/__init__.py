"""Streams (Stream, MemoryStream), compression (GZipStream, DeflateStream) and hash algorithms."""

from winsim.powershell.clr.library.bcl.io import compression, hashing, stream

__all__ = ["compression", "hashing", "stream"]
